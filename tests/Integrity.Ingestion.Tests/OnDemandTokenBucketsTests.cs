using System.Diagnostics;
using System.Threading.RateLimiting;
using Integrity.Host.Security;

namespace Integrity.Ingestion.Tests;

/// <summary>The per-key token buckets behind the API's rate limits, refilled on demand instead of by a timer.</summary>
public sealed class OnDemandTokenBucketsTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void A_key_gets_its_burst_then_is_refused_with_a_retry_after()
    {
        using var limiter = new OnDemandTokenBuckets<string>(key => new TokenBucketLimit(key, 1, Hour, 3), TimeProvider.System);

        var granted = Enumerable.Range(0, 5).Select(_ => limiter.AttemptAcquire("k").IsAcquired).ToList();

        Assert.Equal([true, true, true, false, false], granted);
        using var refused = limiter.AttemptAcquire("k");
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.True(retryAfter > TimeSpan.Zero);
    }

    [Fact]
    public async Task Keys_are_limited_each_on_their_own_and_a_request_without_a_key_is_not_limited()
    {
        using var limiter = new OnDemandTokenBuckets<string>(key => key == "" ? null : new TokenBucketLimit(key, 1, Hour, 1), TimeProvider.System);

        Assert.True(limiter.AttemptAcquire("a").IsAcquired);
        Assert.False((await limiter.AcquireAsync("a")).IsAcquired);
        Assert.True(limiter.AttemptAcquire("b").IsAcquired);
        Assert.All(Enumerable.Range(0, 100), _ => Assert.True(limiter.AttemptAcquire("").IsAcquired));
    }

    [Fact]
    public async Task A_spent_bucket_is_refilled_as_time_passes_without_a_timer()
    {
        using var limiter = new OnDemandTokenBuckets<string>(key => new TokenBucketLimit(key, 1, TimeSpan.FromMilliseconds(100), 1), TimeProvider.System);
        Assert.True(limiter.AttemptAcquire("k").IsAcquired);

        var clock = Stopwatch.StartNew();
        var granted = false;
        while (!granted && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
            granted = limiter.AttemptAcquire("k").IsAcquired;
        }

        Assert.True(granted);
    }

    [Fact]
    public async Task A_client_back_from_a_rest_gets_its_burst_and_no_more()
    {
        // The rest refills the bucket by far more than its burst; it holds no more than its burst all the same.
        using var limiter = new OnDemandTokenBuckets<string>(key => new TokenBucketLimit(key, 1, TimeSpan.FromSeconds(1), 2), TimeProvider.System);
        Assert.True(limiter.AttemptAcquire("k").IsAcquired);

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(100);
        }

        var granted = Enumerable.Range(0, 4).Select(_ => limiter.AttemptAcquire("k").IsAcquired).ToList();
        Assert.Equal([true, true, false, false], granted);
    }
}
