using System.ComponentModel.DataAnnotations;

namespace Integrity.Host.Query;

/// <summary>Limits of the query API, the live decisions feed and the dashboard's stream tickets.</summary>
public sealed class QueryApiOptions : IValidatableObject
{
    public const string Section = "QueryApi";

    /// <summary>Largest page a list returns (<c>limit</c> above it is a 400).</summary>
    [Range(1, 1000)]
    public int MaxPageSize { get; set; } = 200;

    /// <summary>Most audit rows one history request returns.</summary>
    [Range(1, 5000)]
    public int MaxHistory { get; set; } = 1000;

    /// <summary>Decisions shown with an entity (newest first).</summary>
    [Range(0, 200)]
    public int RecentDecisions { get; set; } = 20;

    /// <summary>A comment line sent on every idle SSE connection this often, so proxies keep it open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Concurrent SSE connections per silo; one more gets a 503.</summary>
    [Range(1, 10000)]
    public int MaxStreamClients { get; set; } = 200;

    /// <summary>
    /// Concurrent SSE connections per API key on a silo (a key's stream tickets count as the key); one more gets a 429.
    /// So one key cannot take every slot of <see cref="MaxStreamClients"/> from the others.
    /// </summary>
    [Range(1, 10000)]
    public int MaxStreamClientsPerKey { get; set; } = 10;

    /// <summary>Decisions buffered per SSE connection; a client that falls further behind loses the oldest.</summary>
    [Range(16, 100000)]
    public int StreamBufferPerClient { get; set; } = 1000;

    /// <summary>How long a stream ticket (the dashboard's way to open the SSE feed without headers) may be used to connect.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan StreamTicketLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long an entity read waits for the entity's grain before it answers 503 with Retry-After: 1. A grain being moved
    /// (its silo stopping or starting) can otherwise hold a read for the whole Orleans response timeout (30 s by default).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan GrainReadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxStreamClientsPerKey > MaxStreamClients)
        {
            yield return new ValidationResult(
                $"QueryApi:MaxStreamClientsPerKey ({MaxStreamClientsPerKey}) cannot be more than QueryApi:MaxStreamClients ({MaxStreamClients}).",
                [nameof(MaxStreamClientsPerKey)]);
        }
    }
}
