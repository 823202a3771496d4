using Integrity.Testing;

namespace Integrity.Resilience.Tests;

/// <summary>The resilience tests' traffic: a market from the harness's generator, and the harness's sender that keeps at it.</summary>
internal static class Loads
{
    /// <summary>
    /// An honest market (no fraud incidents), evenly active, with ids of its own (<paramref name="prefix"/>), of at least
    /// <paramref name="events"/> events, reviews a tenth of them.
    /// </summary>
    public static GeneratedMarketplace Market(string prefix, int sellers, long events)
    {
        var market = MarketplaceGenerator.Generate(new MarketplaceOptions
        {
            IdPrefix = prefix, Sellers = sellers, FraudRate = 0, ReviewRate = MarketplaceOptions.ReviewRateForShare(0.1),
        }.SizedFor(events * 6 / 5));
        Assert.True(market.Events.Count >= events, $"the market has {market.Events.Count} events, not {events}");
        return market;
    }

    /// <summary>
    /// A sender with the ingest key that resends a batch (same event ids) for as long as it takes: through a dead host,
    /// 503s (Retry-After honored up to <paramref name="maxRetryAfter"/>, 5 s by default) and connection errors, until
    /// <paramref name="hardStop"/>; no new batch starts after <paramref name="duration"/>.
    /// </summary>
    public static IngestSender Sender(
        Uri target, int workers, int batch, long events, TimeSpan duration, TimeSpan hardStop, double? rate = null, TimeSpan? maxRetryAfter = null, EventLedger? ledger = null) =>
        new(new SenderOptions
        {
            Target = target, ApiKey = TestSecrets.IngestKey, Concurrency = workers, Batch = batch, MaxEvents = events, Rate = rate,
            Duration = duration, DrainTimeout = hardStop - duration, MaxRetries = 100_000, MaxRetryWait = maxRetryAfter ?? TimeSpan.FromSeconds(5),
        }, ledger: ledger);
}
