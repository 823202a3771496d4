namespace Integrity.Host.Security;

/// <summary>Who may call the API, and the key that makes personal identifiers unreadable.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    public const int MinKeyLength = 24;

    public const int MinIdentifierHashKeyBytes = 32;

    /// <summary>API keys per role. Lists, so a new key can be added before the old one is removed (rotation).</summary>
    public ApiKeyLists ApiKeys { get; set; } = new();

    /// <summary>
    /// Generate a random key per role at start and print them once to the console. Default: on only when no key is
    /// configured and storage is the embedded Azurite (a local run).
    /// </summary>
    public bool? GenerateDevelopmentKeys { get; set; }

    /// <summary>Base64 key (≥ 32 bytes) of the keyed hash of personal identifiers. Keep it stable: hashes link accounts.</summary>
    public string? IdentifierHashKey { get; set; }

    public ApiRateLimitOptions RateLimit { get; set; } = new();

    public sealed class ApiKeyLists
    {
        public List<string> Ingest { get; set; } = [];

        public List<string> Analyst { get; set; } = [];

        public List<string> Viewer { get; set; } = [];

        public IEnumerable<(string Role, string Key)> All() =>
            Ingest.Select(k => (ApiRoles.Ingest, k))
                .Concat(Analyst.Select(k => (ApiRoles.Analyst, k)))
                .Concat(Viewer.Select(k => (ApiRoles.Viewer, k)));
    }

    /// <summary>A token bucket per API key: <see cref="PermitsPerSecond"/> sustained, bursts up to <see cref="Burst"/>.</summary>
    public sealed class ApiRateLimitOptions
    {
        public int PermitsPerSecond { get; set; } = 500;

        public int Burst { get; set; } = 1000;
    }
}
