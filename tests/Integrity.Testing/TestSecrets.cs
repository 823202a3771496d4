namespace Integrity.Testing;

/// <summary>
/// Fixed API keys (one per role) and identifier hashing key for tests. A host on configured storage refuses to
/// start without keys, so tests that start one pass <see cref="HostConfiguration"/>.
/// </summary>
public static class TestSecrets
{
    public const string IngestKey = "test-ingest-key-0123456789abcdef";
    public const string AnalystKey = "test-analyst-key-0123456789abcdef";
    public const string ViewerKey = "test-viewer-key-0123456789abcdef";
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    /// <summary>Base64 of 32 fixed bytes.</summary>
    public static string IdentifierHashKey { get; } = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    public static IReadOnlyDictionary<string, string> HostConfiguration { get; } = new Dictionary<string, string>
    {
        ["Security:ApiKeys:Ingest:0"] = IngestKey,
        ["Security:ApiKeys:Analyst:0"] = AnalystKey,
        ["Security:ApiKeys:Viewer:0"] = ViewerKey,
        ["Security:ApiKeys:Admin:0"] = AdminKey,
        ["Security:IdentifierHashKey"] = IdentifierHashKey,
    };
}
