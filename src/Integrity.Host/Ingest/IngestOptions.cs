using System.ComponentModel.DataAnnotations;
using Integrity.Domain.Wire;

namespace Integrity.Host.Ingest;

/// <summary>Limits and behaviour of <c>POST /v1/events</c>.</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Largest request body, checked on the bytes received and again after gzip decompression.</summary>
    [Range(1024, 1L << 30)]
    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most events (lines or array elements, valid or not) in one request; blank lines are bounded by it too.</summary>
    [Range(1, 1_000_000)]
    public int MaxEvents { get; set; } = 10_000;

    /// <summary>Largest line (one event) in UTF-8 bytes.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxLineBytes { get; set; } = EventLimits.Default.MaxLineBytes;

    /// <summary>Longest free-text field (title, description, review text).</summary>
    [Range(1, 1_000_000)]
    public int MaxStringLength { get; set; } = EventLimits.Default.MaxStringLength;

    /// <summary>Longest id or identifier.</summary>
    [Range(1, 1000)]
    public int MaxIdLength { get; set; } = EventLimits.Default.MaxIdLength;

    /// <summary>Most items in an array or map field.</summary>
    [Range(1, 100_000)]
    public int MaxCollectionCount { get; set; } = EventLimits.Default.MaxCollectionCount;

    /// <summary>
    /// How far past the server's clock (its TimeProvider, when the request arrives) an event's <c>occurredAt</c> may be;
    /// a later one is rejected (TIME_OUT_OF_RANGE). Event time drives every window, so one event dated years ahead would
    /// otherwise move its entity's clock there for good.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan MaxFutureSkew { get; set; } = EventLimits.Default.MaxFutureSkew;

    /// <summary>
    /// Seconds a client is told to wait (Retry-After) when storage is down or the journal is saturated. Past the
    /// staleness bound the wait is 1 s (<see cref="IngestHandler.EngineBehindRetryAfterSeconds"/>).
    /// </summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>Backpressure: most events waiting for the journal before ingest answers 503 instead of queueing.</summary>
    [Range(1, 100_000_000)]
    public long MaxPendingEvents { get; set; } = 200_000;

    /// <summary>
    /// Staleness bound: while the oldest acknowledged journal row not covered by a checkpoint (so not yet in stored
    /// grain state), plus one checkpoint cycle, is older than this, ingest answers 503 with Retry-After instead of
    /// accepting more (see <see cref="StoredLagTracker"/>).
    /// </summary>
    [Range(1, 3600)]
    public double MaxStoredLagSeconds { get; set; } = 30;

    /// <summary>How often the durable checkpoints are read to measure the stored lag.</summary>
    [Range(50, 60_000)]
    public int StoredLagPollMilliseconds { get; set; } = 500;

    public EventLimits ToEventLimits() => EventLimits.Default with
    {
        MaxLineBytes = MaxLineBytes,
        MaxStringLength = MaxStringLength,
        MaxIdLength = MaxIdLength,
        MaxCollectionCount = MaxCollectionCount,
        MaxFutureSkew = MaxFutureSkew,
    };
}
