using Azure.Data.Tables;
using Integrity.Contracts;
using Integrity.Domain.Events;
using Integrity.Domain.Tests.Fixtures;
using Integrity.Storage.AzureTables.GrainStorage;
using Integrity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Integrity.Engine.Tests;

/// <summary>
/// An entity grain's state write interleaves with work: a checkpoint's <see cref="IEntityGrain.FlushAsync"/> held up
/// in storage does not hold up the next row's work, the row written is the state as it was when the write started,
/// and what arrived meanwhile (or what a failed write did not store) is written by the next flush.
/// </summary>
public sealed class FlushInterleavingTests(FlushInterleavingFixture cluster) : IClassFixture<FlushInterleavingFixture>
{
    /// <summary>Long enough for any healthy call on Azurite, short enough that a regression fails instead of hanging.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Work_applied_while_a_flush_is_held_in_storage_completes_and_is_written_by_the_next_flush()
    {
        var b = new ScenarioBuilder { Prefix = "flush-held" };
        var registered = b.Seller("S-flush-held");
        var updated = b.Advance(TimeSpan.FromHours(1)).SellerUpdate("S-flush-held", ScenarioBuilder.Ids(phone: "+33 6 00 00 00 01"));
        var seller = cluster.Client.GetGrain<ISellerGrain>("S-flush-held");

        Assert.Equal(1, (await seller.ApplyAsync(Work(registered)).WaitAsync(Bound)).Applied);
        var hold = cluster.Writes.HoldNext(seller.GetGrainId());
        try
        {
            var flush = seller.FlushAsync();
            await hold.Entered.WaitAsync(Bound);

            // A FlushAsync that did not interleave would leave this queued behind the held write until the bound.
            var second = await seller.ApplyAsync(Work(updated)).WaitAsync(Bound);
            Assert.Equal(1, second.Applied);
            Assert.False(flush.IsCompleted, "the flush finished before its write was released");

            hold.Release();
            await flush.WaitAsync(Bound);
        }
        finally
        {
            hold.Release();
        }

        // The held write serialized the state when it started: the event applied meanwhile is not in the row yet.
        Assert.Equal(1, (await cluster.StoredAsync("S-flush-held"))?.EventsApplied);

        await seller.FlushAsync().WaitAsync(Bound);
        Assert.Equal(2, (await cluster.StoredAsync("S-flush-held"))?.EventsApplied);
    }

    [Fact]
    public async Task A_failed_flush_throws_and_leaves_the_state_to_be_written_by_the_next_flush()
    {
        var b = new ScenarioBuilder { Prefix = "flush-failed" };
        var registered = b.Seller("S-flush-failed");
        var seller = cluster.Client.GetGrain<ISellerGrain>("S-flush-failed");

        Assert.Equal(1, (await seller.ApplyAsync(Work(registered)).WaitAsync(Bound)).Applied);
        var hold = cluster.Writes.HoldNext(seller.GetGrainId(), fail: true);
        hold.Release();
        await Assert.ThrowsAnyAsync<Exception>(() => seller.FlushAsync().WaitAsync(Bound));
        Assert.True(hold.Entered.IsCompleted, "the flush did not try to write");
        Assert.Null(await cluster.StoredAsync("S-flush-failed"));

        await seller.FlushAsync().WaitAsync(Bound);
        Assert.Equal(1, (await cluster.StoredAsync("S-flush-failed"))?.EventsApplied);
    }

    /// <summary>
    /// A batch that fails midway (its second item's identifier grain cannot store the link) is never stored in part:
    /// the seller applies work to its state in place, so the activation that failed leaves memory without writing,
    /// and the retry, which the consumer makes, applies every event of the batch once on the stored state.
    /// </summary>
    [Fact]
    public async Task A_batch_that_fails_midway_is_never_stored_in_part_and_its_retry_applies_each_event_once()
    {
        var b = new ScenarioBuilder { Prefix = "apply-failed" };
        var registered = b.Seller("S-apply-failed");
        var first = b.Advance(TimeSpan.FromHours(1)).SellerUpdate("S-apply-failed", ScenarioBuilder.Ids(phone: "+33 6 00 00 00 11"));
        var second = b.Advance(TimeSpan.FromHours(1)).SellerUpdate("S-apply-failed", ScenarioBuilder.Ids(phone: "+33 6 00 00 00 12"));
        var seller = cluster.Client.GetGrain<ISellerGrain>("S-apply-failed");
        Assert.Equal(1, (await seller.ApplyAsync(Work(registered)).WaitAsync(Bound)).Applied);
        await seller.FlushAsync().WaitAsync(Bound);

        var identifier = cluster.Client.GetGrain<IIdentifierGrain>(Assert.Single(second.Identifiers.Present()).Key);
        var failing = cluster.Writes.HoldNext(identifier.GetGrainId(), fail: true);
        failing.Release();
        var batch = new EntityWork([new WorkItem(Event: first), new WorkItem(Event: second)]);
        await Assert.ThrowsAnyAsync<Exception>(() => seller.ApplyAsync(batch).WaitAsync(Bound));
        Assert.True(failing.Entered.IsCompleted, "the second item did not reach its identifier grain");

        // Whatever a flush now answers, the first item alone is never stored.
        await Record.ExceptionAsync(() => seller.FlushAsync().WaitAsync(Bound));
        Assert.Equal(1, (await cluster.StoredAsync("S-apply-failed"))?.EventsApplied);

        WorkResult? retried = null;
        await cluster.WaitAsync(async () =>
        {
            retried = await seller.ApplyAsync(batch).WaitAsync(Bound).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default);
            return retried is not null;
        }, "the batch was never applied after the failure");
        Assert.Equal(2, retried!.Applied);
        Assert.Equal(0, retried.Duplicates);

        await seller.FlushAsync().WaitAsync(Bound);
        Assert.Equal(3, (await cluster.StoredAsync("S-apply-failed"))?.EventsApplied);
    }

    /// <summary>
    /// The checkpoint rule when a grain's final write fails at deactivation: its next activation reads the older row and
    /// has nothing dirty to write, so a consumer that only asked it to flush moved its checkpoint past the lost event.
    /// </summary>
    [Fact]
    public async Task A_final_write_that_fails_at_deactivation_loses_nothing_and_the_checkpoint_does_not_pass_it()
    {
        var b = new ScenarioBuilder { Prefix = "deact-fail" };
        var registered = b.Seller("S-deact-fail");
        var journal = cluster.Journal;
        await journal.AppendAsync([registered], CancellationToken.None);
        var partition = Integrity.Storage.AzureTables.Journal.JournalPartitioner.PartitionOf(registered, journal.PartitionCount);
        var head = await journal.HeadAsync(partition);
        var consumer = cluster.Client.GetGrain<IPartitionConsumerGrain>(StreamNames.PartitionKey(partition));
        var seller = cluster.Client.GetGrain<ISellerGrain>("S-deact-fail");
        await cluster.WaitAsync(async () => (await consumer.GetProgressAsync()).Dispatched >= head, "the row was not dispatched");

        // The next write of the seller (its last, at deactivation: checkpoints here only run when asked) fails.
        var hold = cluster.Writes.HoldNext(seller.GetGrainId(), fail: true);
        hold.Release();
        await seller.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await hold.Entered.WaitAsync(Bound);

        var afterLoss = await consumer.CheckpointNowAsync().WaitAsync(Bound);
        Assert.True(afterLoss.Checkpointed < head, $"the checkpoint reached {afterLoss.Checkpointed} (row {head}), whose effect was lost");

        await cluster.WaitAsync(async () => (await consumer.CheckpointNowAsync()).Checkpointed >= head, "the checkpoint never reached the replayed row");
        Assert.Equal(1, (await cluster.StoredAsync("S-deact-fail"))?.EventsApplied);
    }

    /// <summary>
    /// Decisions are live as the grain makes them: the feed has the decision while the checkpoint that would store it is
    /// held. When the grain's state is then lost, the replay from the checkpoint makes the decision again with the same
    /// id, which is what lets subscribers dedupe.
    /// </summary>
    [Fact]
    public async Task A_decision_reaches_the_live_feed_before_its_checkpoint_and_a_replay_re_emits_it_with_the_same_id()
    {
        var scenario = FraudScenarios.Counterfeit("S-live-first", 39.80m, "-live");
        var listingId = "L-cf-live";
        var listing = cluster.Client.GetGrain<IListingGrain>(listingId);
        var feed = new RecordingFeed(listingId);
        var registry = ObserverRegistry.Of<IDecisionObserver>(cluster.Client);
        var reference = cluster.Client.CreateObjectReference<IDecisionObserver>(feed);
        await registry.RegisterAsync(reference, TimeSpan.FromMinutes(5));

        // No write of the listing can finish while this is held: no checkpoint can store its decision.
        var held = cluster.Writes.HoldNext(listing.GetGrainId());
        try
        {
            await EngineDriving.IngestAsync(cluster.Client, cluster.Journal, scenario.Events, 500);
            await feed.Arrived.WaitAsync(TimeSpan.FromSeconds(30));
            var listingEvent = scenario.Events.Last(e => e is ListingCreated);
            var partition = Integrity.Storage.AzureTables.Journal.JournalPartitioner.PartitionOf(listingEvent, cluster.Journal.PartitionCount);
            var consumer = cluster.Client.GetGrain<IPartitionConsumerGrain>(StreamNames.PartitionKey(partition));
            var head = await cluster.Journal.HeadAsync(partition);
            var first = Assert.Single(feed.Received, r => r.EntityId == listingId && r.Kind == "decision");
            Assert.True((await consumer.GetProgressAsync()).Checkpointed < head, "the decision was live only after its checkpoint");

            // The listing's state is lost: its last write at deactivation fails.
            var lost = cluster.Writes.HoldNext(listing.GetGrainId(), fail: true);
            held.Release();
            lost.Release();
            await listing.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
            await lost.Entered.WaitAsync(Bound);

            await cluster.WaitAsync(async () => (await consumer.CheckpointNowAsync()).Checkpointed >= head, "the checkpoint never reached the replayed row");
            await cluster.WaitAsync(() => Task.FromResult(feed.Received.Count(r => r.EntityId == listingId && r.Kind == "decision") >= 2), "the replay made no decision");
            var again = feed.Received.Where(r => r.EntityId == listingId && r.Kind == "decision").Skip(1).First();
            Assert.Equal(first.EntryId, again.EntryId);
            Assert.Equal(first.Step, again.Step);
        }
        finally
        {
            held.Release();
            await registry.UnregisterAsync(reference);
            cluster.Client.DeleteObjectReference<IDecisionObserver>(reference);
        }
    }

    private static EntityWork Work(IntegrityEvent e) => new([new WorkItem(Event: e)]);
}

/// <summary>
/// The engine on a one-silo test cluster over its own Azurite, as <see cref="EngineFixture"/> builds it, except that
/// the default grain storage is the engine's behind a <see cref="GatedWrites"/> gate.
/// </summary>
public sealed class FlushInterleavingFixture : IAsyncLifetime
{
    private const string UngatedStorage = "ungated";
    private readonly AzuriteFixture _azurite = new();
    private InProcessTestCluster? _cluster;

    public GatedWrites Writes { get; } = new();

    public IClusterClient Client => Cluster.Client;

    public Integrity.Storage.AzureTables.Journal.IEventJournal Journal => Cluster.GetSiloServiceProvider().GetRequiredService<Integrity.Storage.AzureTables.Journal.IEventJournal>();

    /// <summary>Waits until the condition holds, within 30 s.</summary>
    public async Task WaitAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }

    private InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        var connection = _azurite.ConnectionString;
        var writes = Writes;
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            // Checkpoints only when a test asks (CheckpointNowAsync): the ticks of the longest interval are far apart.
            EngineFixture.ConfigureEngine(silo, connection, new Dictionary<string, string?> { ["Consumers:CheckpointInterval"] = "00:05:00" }, stateProviderName: UngatedStorage);
            Orleans.Runtime.Hosting.StorageProviderExtensions.AddGrainStorage(silo.Services, ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) =>
                new GatedGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(UngatedStorage), writes));
        });
        EngineFixture.ConfigureClient(builder);
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        Writes.ReleaseAll();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    /// <summary>The seller's applied-event counter as stored, read straight from the table; null when no row exists.</summary>
    public async Task<StoredEventCounter?> StoredAsync(string sellerId)
    {
        var serviceId = Cluster.GetSiloServiceProvider().GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
        var reader = new GrainStateCounterReader(new TableServiceClient(_azurite.ConnectionString), GrainStateSiloBuilderExtensions.DefaultTableName);
        return await reader.ReadAsync(serviceId, "seller", sellerId);
    }
}

/// <summary>Holds (and optionally fails) the next state write of a chosen grain until the test releases it.</summary>
public sealed class GatedWrites
{
    private readonly Lock _lock = new();
    private readonly Dictionary<GrainId, Hold> _armed = [];
    private readonly List<Hold> _all = [];

    /// <summary>Arms a hold on the next write of <paramref name="grain"/>; with <paramref name="fail"/> that write throws once released.</summary>
    public Hold HoldNext(GrainId grain, bool fail = false)
    {
        var hold = new Hold(fail);
        lock (_lock)
        {
            _armed[grain] = hold;
            _all.Add(hold);
        }

        return hold;
    }

    /// <summary>The hold armed for this grain's write, taken (the write after it goes through), or null.</summary>
    public Hold? Take(GrainId grain)
    {
        lock (_lock)
        {
            return _armed.Remove(grain, out var hold) ? hold : null;
        }
    }

    public void ReleaseAll()
    {
        lock (_lock)
        {
            _all.ForEach(h => h.Release());
        }
    }

    public sealed class Hold(bool fail)
    {
        // Asynchronous continuations: releasing from the test must not run the grain's code on the test's thread.
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Fail => fail;

        /// <summary>Completes when the held write has started.</summary>
        public Task Entered => _entered.Task;

        public Task Released => _released.Task;

        public void Enter() => _entered.TrySetResult();

        public void Release() => _released.TrySetResult();
    }
}

/// <summary>
/// The engine's grain storage (Orleans' Azure Table provider) with a gate on writes. A held write is started on the
/// real storage first, which serializes the state there and then, and is reported done only once released; a failing
/// one writes nothing. The provider it wraps takes part in the silo lifecycle itself.
/// </summary>
public sealed class GatedGrainStorage(IGrainStorage inner, GatedWrites writes) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (writes.Take(grainId) is not { } hold)
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
            return;
        }

        hold.Enter();
        if (hold.Fail)
        {
            await hold.Released;
            throw new TableStorageUnavailableException($"Injected failure writing '{stateName}' of {grainId}.");
        }

        var write = inner.WriteStateAsync(stateName, grainId, grainState);
        await hold.Released;
        await write;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
}
