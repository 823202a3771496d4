namespace Integrity.Grains.Webhooks;

/// <summary>An endpoint as deliveries use it: its secret in clear, only in memory.</summary>
public sealed record WebhookEndpoint(
    string Id,
    string Source,
    Uri Url,
    IReadOnlyList<string> EntityKinds,
    int MinimumStep,
    string? Secret,
    DateTimeOffset? CreatedAt,
    bool Paused,
    DateTimeOffset? PausedAt,
    string? PausedBy,
    string? PauseReason)
{
    public const string FromConfiguration = "configuration";
    public const string FromApi = "api";

    /// <summary>Whether the record goes to this endpoint: its entity kind, and for a decision its level.</summary>
    public bool Wants(string entityKind, string recordKind, int? level) =>
        (EntityKinds.Count == 0 || EntityKinds.Contains(entityKind, StringComparer.Ordinal))
        && recordKind switch
        {
            "decision" => (level ?? 0) >= MinimumStep,
            "action" or "note" => true,
            _ => false,
        };

    public override string ToString() => $"WebhookEndpoint {Id}";
}

/// <summary>The key that seals registered endpoints' secrets in storage (null: none configured, registration refused).</summary>
public sealed record WebhookSecretKey(byte[]? Key);
