using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Integrity.Host.Security;

/// <summary>The bucket a request draws from: its key, <paramref name="Permits"/> added per <paramref name="Period"/>, at most <paramref name="Burst"/> held.</summary>
public readonly record struct TokenBucketLimit(string Key, int Permits, TimeSpan Period, int Burst);

/// <summary>
/// A token bucket per key, each a <see cref="TokenBucketRateLimiter"/> refilled when a request asks for it rather than
/// by a timer: <c>PartitionedRateLimiter.Create</c> runs a 100 ms timer for as long as the limiter lives (to refill and
/// retire its partitions), so each such limiter wakes an idle host ten times a second.
/// </summary>
/// <remarks>
/// Without auto-replenishment a bucket's <see cref="ReplenishingRateLimiter.TryReplenish"/> adds the tokens due since
/// its last refill, which is what a timer would have added by then; it is called before every draw. (A full bucket
/// ignores a refill and keeps counting from its last one, so a bucket must never sit full and then be refilled late:
/// a new bucket counts from its creation, at its first request, and every refill that fills one is followed by a draw
/// or by its retirement.) Full buckets, which are as good as new ones, are retired by a request that finds them due, at
/// most once per <see cref="SweepInterval"/>; a request that drew from a bucket at the moment it was retired costs its
/// successor nothing, at most one token per request in flight of a client within its limit.
/// </remarks>
public sealed class OnDemandTokenBuckets<TResource>(Func<TResource, TokenBucketLimit?> limitOf, TimeProvider time) : PartitionedRateLimiter<TResource>
{
    /// <summary>How often full buckets are retired (a new request's bucket is as good as a full one).</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    private static readonly RateLimiter Unlimited = RateLimitPartition.GetNoLimiter(0).Factory(0);

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private long _sweepDue;

    public override RateLimiterStatistics? GetStatistics(TResource resource) =>
        limitOf(resource) is { } limit && _buckets.TryGetValue(limit.Key, out var bucket) ? bucket.Limiter.GetStatistics() : null;

    protected override RateLimitLease AttemptAcquireCore(TResource resource, int permitCount) =>
        LimiterFor(resource).AttemptAcquire(permitCount);

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(TResource resource, int permitCount, CancellationToken cancellationToken) =>
        LimiterFor(resource).AcquireAsync(permitCount, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var bucket in _buckets.Values)
            {
                bucket.Limiter.Dispose();
            }

            _buckets.Clear();
        }

        base.Dispose(disposing);
    }

    private RateLimiter LimiterFor(TResource resource)
    {
        if (limitOf(resource) is not { } limit)
        {
            return Unlimited;
        }

        Sweep();
        var bucket = _buckets.GetOrAdd(limit.Key, static (_, l) => Bucket.Of(l), limit);
        bucket.Limiter.TryReplenish();
        return bucket.Limiter;
    }

    private void Sweep()
    {
        var now = time.GetTimestamp();
        var due = Volatile.Read(ref _sweepDue);
        if (now < due || Interlocked.CompareExchange(ref _sweepDue, now + (long)(SweepInterval.TotalSeconds * time.TimestampFrequency), due) != due)
        {
            return;
        }

        foreach (var entry in _buckets)
        {
            entry.Value.Limiter.TryReplenish();
            if (entry.Value.Limiter.GetStatistics() is { } statistics && statistics.CurrentAvailablePermits >= entry.Value.Burst)
            {
                // Not disposed: it holds no timer, and a request that has just taken it may still draw from it.
                _buckets.TryRemove(entry);
            }
        }
    }

    private sealed record Bucket(TokenBucketRateLimiter Limiter, int Burst)
    {
        public static Bucket Of(TokenBucketLimit limit) => new(
            new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = limit.Burst,
                TokensPerPeriod = limit.Permits,
                ReplenishmentPeriod = limit.Period,
                QueueLimit = 0,
                AutoReplenishment = false,
            }),
            limit.Burst);
    }
}
