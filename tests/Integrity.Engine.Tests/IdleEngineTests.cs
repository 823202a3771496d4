using Integrity.Contracts.Services;
using Integrity.Domain.Tests.Fixtures;
using Integrity.Storage.AzureTables.Journal;
using Integrity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Integrity.Engine.Tests;

/// <summary>
/// An idle engine rests: its partitions' readers stop polling storage, here for an hour. Events appended then are
/// applied at once all the same, because the append wakes the partition's reader, on the appending silo or on the
/// other one (the two silos split the partitions between them).
/// </summary>
public sealed class IdleEngineTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private InProcessTestCluster? _cluster;

    private InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        var connection = _azurite.ConnectionString;
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => EngineFixture.ConfigureEngine(silo, connection, new Dictionary<string, string?>
        {
            ["Consumers:CheckpointInterval"] = "00:00:00.500",
            ["JournalStream:IdlePollInterval"] = "01:00:00",
        }));
        EngineFixture.ConfigureClient(builder);
        _cluster = builder.Build();
        await _cluster.DeployAsync();
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

        // Every partition has a resting reader on one silo or the other: from now on only a wake makes it read.
        var idle = await WaitUntilAsync(() =>
        {
            var resting = silos.SelectMany(s => s.GetRequiredService<JournalWakeSignals>().IdleReaders()).Order().ToList();
            return resting.SequenceEqual(Enumerable.Range(0, journal.PartitionCount)) ? resting : null;
        });
        Assert.NotNull(idle);
        Assert.All(silos, s => Assert.NotEmpty(s.GetRequiredService<JournalWakeSignals>().IdleReaders()));

        // Enough sellers that every partition gets rows, appended through the first silo's journal only.
        var scenarios = Enumerable.Range(0, 40).Select(i => FraudScenarios.Counterfeit($"S-idle-{i}", 39.80m, $"-idle{i}")).ToList();
        var events = scenarios.SelectMany(s => s.Events).ToList();
        await EngineDriving.IngestAsync(Cluster.Client, journal, events, 500);
        var heads = await Task.WhenAll(Enumerable.Range(0, journal.PartitionCount).Select(p => journal.HeadAsync(p)));
        Assert.All(heads, h => Assert.True(h > 0, "every partition got rows"));

        // An hour's rest is far beyond this wait: only the wakes can have delivered the rows.
        await EngineDriving.WaitUntilSettledAsync(journal, silos[0].GetRequiredService<IJournalCheckpointStore>(), TimeSpan.FromSeconds(60));
        var listing = await EngineFixture.ViewAsync(Cluster.Client, Domain.Events.EntityKind.Listing, "L-cf-idle7");
        Assert.True(listing.Level > 0, $"the counterfeit listing was acted on (it is at {listing.Step})");
    }

    private static async Task<T?> WaitUntilAsync<T>(Func<T?> condition)
        where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (condition() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        return null;
    }
}
