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

    /// <summary>
    /// Failed authentications (no key, an unknown key, a bad stream ticket) are logged at most once per client address
    /// per this interval, with the number left unlogged: a flood of bad requests must not become a flood of log lines.
    /// </summary>
    public TimeSpan AuthFailureLogInterval { get; set; } = TimeSpan.FromMinutes(1);

    public sealed class ApiKeyLists
    {
        public List<string> Ingest { get; set; } = [];

        public List<string> Analyst { get; set; } = [];

        public List<string> Viewer { get; set; } = [];

        /// <summary>Keys that register and delete webhook endpoints (and may read).</summary>
        public List<string> Admin { get; set; } = [];

        public IEnumerable<(string Role, string Key)> All() =>
            Ingest.Select(k => (ApiRoles.Ingest, k))
                .Concat(Analyst.Select(k => (ApiRoles.Analyst, k)))
                .Concat(Viewer.Select(k => (ApiRoles.Viewer, k)))
                .Concat(Admin.Select(k => (ApiRoles.Admin, k)));
    }

    /// <summary>A token bucket per API key: <see cref="PermitsPerSecond"/> sustained, bursts up to <see cref="Burst"/>.</summary>
    public sealed class ApiRateLimitOptions
    {
        public int PermitsPerSecond { get; set; } = 500;

        public int Burst { get; set; } = 1000;

        /// <summary>
        /// A token bucket per client address (IPv6 by its /64), spent before the key is even looked at, so requests
        /// with no key or a wrong one are limited too. Twice the per-key budget by default: one platform on one
        /// address meets its key's limit first.
        /// </summary>
        public AddressRateLimitOptions PerAddress { get; set; } = new();
    }

    public sealed class AddressRateLimitOptions
    {
        public int PermitsPerSecond { get; set; } = 1000;

        public int Burst { get; set; } = 2000;
    }
}
