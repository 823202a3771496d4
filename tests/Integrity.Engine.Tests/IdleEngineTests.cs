using Integrity.Contracts;
using Integrity.Contracts.Services;
using Integrity.Domain.Tests.Fixtures;
using Integrity.Storage.AzureTables.Journal;
using Integrity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Integrity.Engine.Tests;

/// <summary>
/// An idle engine rests: its partitions' readers stop polling storage, here for an hour, and its consumers stop their
/// checkpoint timers. Events appended then are applied and checkpointed at once all the same, because the append wakes
/// the partition's reader, on the appending silo or on the other one (the two silos split the partitions between
/// them), and the delivery starts the consumer's timer again.
/// </summary>
public sealed class IdleEngineTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private InProcessTestCluster? _cluster;

    private InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _cluster = await EngineFixture.StartClusterAsync(_azurite.ConnectionString, 2, new Dictionary<string, string?>
        {
            ["Consumers:CheckpointInterval"] = "00:00:00.500",
            ["JournalStream:IdlePollInterval"] = "01:00:00",
        });
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task Events_appended_after_every_reader_went_to_rest_are_applied_at_once_on_both_silos()
    {
        var silos = Cluster.Silos.Select(s => s.ServiceProvider).ToList();
        var journal = silos[0].GetRequiredService<IEventJournal>();
        var checkpoints = silos[0].GetRequiredService<IJournalCheckpointStore>();

        // Every partition has a resting reader on one silo or the other: from now on only a wake makes it read.
        Assert.NotNull(await WaitUntilEveryReaderRestsAsync(silos, journal.PartitionCount));
        Assert.All(silos, s => Assert.NotEmpty(s.GetRequiredService<JournalWakeSignals>().IdleReaders()));

        // Enough sellers that every partition gets rows, appended through the first silo's journal only.
        await IngestAndSettleAsync(journal, checkpoints, "idle");
        var heads = await Task.WhenAll(Enumerable.Range(0, journal.PartitionCount).Select(p => journal.HeadAsync(p)));
        Assert.All(heads, h => Assert.True(h > 0, "every partition got rows"));
        var listing = await EngineFixture.ViewAsync(Cluster.Client, Domain.Events.EntityKind.Listing, "L-cf-idle7");
        Assert.True(listing.Level > 0, $"the counterfeit listing was acted on (it is at {listing.Step})");
    }

    [Fact]
    public async Task A_consumer_whose_checkpoint_timer_rested_checkpoints_the_next_rows_it_is_given()
    {
        var silos = Cluster.Silos.Select(s => s.ServiceProvider).ToList();
        var journal = silos[0].GetRequiredService<IEventJournal>();
        var checkpoints = silos[0].GetRequiredService<IJournalCheckpointStore>();
        await IngestAndSettleAsync(journal, checkpoints, "first");

        // Everything is checkpointed: every partition's consumer stops its checkpoint timer, and every reader rests.
        var consumers = Enumerable.Range(0, journal.PartitionCount)
            .Select(p => Cluster.Client.GetGrain<IPartitionConsumerGrain>(StreamNames.PartitionKey(p)))
            .ToList();
        var resting = await WaitUntilAsync(async () =>
        {
            var progress = await Task.WhenAll(consumers.Select(c => c.GetProgressAsync()));
            return progress.All(p => p.CheckpointTimerResting) ? progress : null;
        });
        Assert.NotNull(resting);
        Assert.NotNull(await WaitUntilEveryReaderRestsAsync(silos, journal.PartitionCount));

        // Rows now reach resting timers: the checkpoints can only move if each delivery started its timer again.
        await IngestAndSettleAsync(journal, checkpoints, "second");
        var listing = await EngineFixture.ViewAsync(Cluster.Client, Domain.Events.EntityKind.Listing, "L-cf-second7");
        Assert.True(listing.Level > 0, $"the counterfeit listing was acted on (it is at {listing.Step})");
    }

    /// <summary>Counterfeit scenarios for 40 sellers (every partition gets rows), appended through the first silo, then
    /// waited on until every partition's checkpoint covers its head; an hour's idle poll is far beyond the wait.</summary>
    private async Task IngestAndSettleAsync(IEventJournal journal, IJournalCheckpointStore checkpoints, string tag)
    {
        var scenarios = Enumerable.Range(0, 40).Select(i => FraudScenarios.Counterfeit($"S-{tag}-{i}", 39.80m, $"-{tag}{i}")).ToList();
        var events = scenarios.SelectMany(s => s.Events).ToList();
        await EngineDriving.IngestAsync(Cluster.Client, journal, events, 500);
        await EngineDriving.WaitUntilSettledAsync(journal, checkpoints, TimeSpan.FromSeconds(60));
    }

    private static Task<List<int>?> WaitUntilEveryReaderRestsAsync(IReadOnlyList<IServiceProvider> silos, int partitions) =>
        WaitUntilAsync(() =>
        {
            var resting = silos.SelectMany(s => s.GetRequiredService<JournalWakeSignals>().IdleReaders()).Order().ToList();
            return Task.FromResult(resting.SequenceEqual(Enumerable.Range(0, partitions)) ? resting : null);
        });

    private static async Task<T?> WaitUntilAsync<T>(Func<Task<T?>> condition)
        where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        return null;
    }
}
