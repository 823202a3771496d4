using Integrity.Contracts;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Engine.Tests;

[Collection(EngineCollection.Name)]
public sealed class PipelineTests(EngineFixture engine)
{
    [Fact]
    public async Task Journal_events_reach_grains_and_the_same_batch_twice_changes_nothing_the_second_time()
    {
        var b = new ScenarioBuilder { Prefix = "pipe" };
        b.Seller("S-pipe");
        b.Listing("L-pipe", "S-pipe");
        for (var i = 0; i < 5; i++)
        {
            b.Advance(TimeSpan.FromHours(1));
            var order = b.Order($"O-pipe-{i}", "L-pipe", "S-pipe", $"C-pipe-{i}");
            b.Advance(TimeSpan.FromHours(2)).Deliver(order);
        }

        await engine.IngestAsync(b.Events);
        await engine.WaitUntilSettledAsync();
        var first = await TotalsAsync();

        await engine.IngestAsync(b.Events);
        await engine.WaitUntilSettledAsync();
        var second = await TotalsAsync();

        Assert.True(first.Applied >= b.Events.Count, $"applied {first.Applied} of {b.Events.Count}");
        Assert.Equal(first.Applied, second.Applied);
        Assert.True(second.Duplicates - first.Duplicates >= b.Events.Count, $"second pass: {second.Duplicates - first.Duplicates} duplicates");
    }

    private async Task<(long Applied, long Duplicates)> TotalsAsync()
    {
        long applied = 0, duplicates = 0;
        for (var p = 0; p < engine.Journal.PartitionCount; p++)
        {
            var progress = await engine.Cluster.Client.GetGrain<IPartitionConsumerGrain>(StreamNames.PartitionKey(p)).GetProgressAsync();
            applied += progress.EventsApplied;
            duplicates += progress.Duplicates;
        }

        return (applied, duplicates);
    }
}
