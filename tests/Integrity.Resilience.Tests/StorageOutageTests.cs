using System.Diagnostics;
using Xunit.Abstractions;

namespace Integrity.Resilience.Tests;

/// <summary>Azurite stopped and started again in the middle of a load, under a running host.</summary>
public sealed class StorageOutageTests(ITestOutputHelper output)
{
    private const int Events = 30_000;

    [Fact]
    public async Task Ingest_answers_503_while_storage_is_down_and_after_it_returns_nothing_accepted_is_missing()
    {
        await using var engine = await EngineUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Consumers:CheckpointInterval"] = "00:00:01",
            ["Ingest:RetryAfterSeconds"] = "1",
        });
        var market = Loads.Market("outage", sellers: 200, Events);
        using var sender = Loads.Sender(engine.BaseAddress, workers: 3, batch: 500, Events, TimeSpan.FromSeconds(150), TimeSpan.FromSeconds(180), rate: 3000);
        var clock = Stopwatch.StartNew();
        var load = sender.RunAsync(market.Events);
        while (sender.Ledger.Count < 10_000 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }

        await engine.Azurite.StopAsync();
        var stoppedAt = clock.Elapsed;
        var acceptedAtStop = sender.Stats.AcceptedCount;
        while (sender.Stats.Answers("503") < 3 && clock.Elapsed < stoppedAt + TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        var unavailableWhileDown = sender.Stats.Answers("503");
        // Let a request or two that were under way at the stop finish their storage retries.
        await Task.Delay(2000);
        var acceptedWhileDown = sender.Stats.AcceptedCount;
        await engine.Azurite.RestartAsync();
        var downFor = clock.Elapsed - stoppedAt;

        await load;
        var settle = await engine.Tables.WaitSettledAsync(TimeSpan.FromSeconds(150));
        var stored = await engine.Tables.StoredEntitiesAsync("-outage-");

        output.WriteLine($"storage down {downFor.TotalSeconds:0.0}s from {stoppedAt.TotalSeconds:0.0}s; 503 answers {sender.Stats.Answers("503")} " +
            $"({unavailableWhileDown} seen while down); accepted {acceptedAtStop:N0} at the stop, {acceptedWhileDown:N0} after it (requests already under way); " +
            $"transport errors {sender.Stats.Totals().TransportErrors}; total accepted {sender.Ledger.Count:N0}; settled {settle.TotalSeconds:0.0}s after the load");

        Assert.True(unavailableWhileDown >= 3, $"ingest answered only {unavailableWhileDown} 503 while storage was down");
        Assert.Empty(sender.Stats.Problems()); // every 503 carried Retry-After; nothing else went wrong
        Assert.Equal(Events, sender.Ledger.Count);
        Ledgers.AssertExactlyOnce(sender.Ledger, stored);
    }
}
