using System.Collections.Concurrent;
using Integrity.Contracts;
using Integrity.Domain.State;
using Integrity.Grains.Checkpoints;
using Integrity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Reminders.Diagnostics;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Integrity.Engine.Tests;

/// <summary>
/// An override's expiry survives the loss of the silo that held both the grain and its reminder: the surviving silo
/// takes over the reminder's range from the Azure reminder table and ends the override.
/// </summary>
public sealed class OverrideExpirySiloLossTests(TwoSiloFixture cluster) : IClassFixture<TwoSiloFixture>
{
    [Fact]
    public async Task Override_with_an_expiry_ends_after_the_silo_holding_its_grain_and_reminder_died()
    {
        var events = new ConcurrentQueue<ReminderEvents.ReminderEvent>();
        using var subscription = ReminderEvents.AllEvents.Subscribe(new Collector(events));
        var doomed = cluster.Cluster.Silos[1];
        var survivor = cluster.Cluster.Silos[0];

        // The reminder's owner is its grain id's place on the ring: take the first seller whose reminder the doomed
        // silo owns (each has even odds).
        ISellerGrain? seller = null;
        var until = DateTimeOffset.UtcNow;
        for (var i = 0; i < 20 && seller is null; i++)
        {
            var candidate = cluster.Cluster.Client.GetGrain<ISellerGrain>($"S-expiry-lost-{i}");
            until = DateTimeOffset.UtcNow.AddSeconds(6);
            await candidate.ActAsync(new AnalystCommand(AnalystVerb.Override, $"pin-lost-{i}", "analyst-1", DateTimeOffset.UtcNow, "Pinned while we check", 2, until));
            var registered = events.OfType<ReminderEvents.Registered>().Last(e => e.GrainId == candidate.GetGrainId());
            if (registered.SiloAddress == doomed.SiloAddress)
            {
                seller = candidate;
            }
        }

        Assert.NotNull(seller);

        // The activation (with its fast-path timer) dies with the silo too. Migrating to the silo it is already on
        // would wait for a deactivation that never comes.
        var management = cluster.Cluster.Client.GetGrain<IManagementGrain>(0);
        if (await management.GetActivationAddress(seller) != doomed.SiloAddress)
        {
            await cluster.Cluster.MigrateAsync(seller, doomed.SiloAddress).WaitAsync(TimeSpan.FromSeconds(15));
        }

        Assert.Equal(doomed.SiloAddress, await management.GetActivationAddress(seller));
        await cluster.Cluster.KillSiloAsync(doomed);
        Assert.True(DateTimeOffset.UtcNow < until, "the silo died only after the override's end; the test proves nothing");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while ((await cluster.StoredAsync(seller))?.Enforcement.Override is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the override did not end after its silo died");
            await Task.Delay(200);
        }

        Assert.True(DateTimeOffset.UtcNow >= until, "the override ended before its until");
        Assert.Contains(events.OfType<ReminderEvents.TickFiring>(), e => e.GrainId == seller.GetGrainId() && e.SiloAddress == survivor.SiloAddress);
        Assert.Null((await seller.GetViewAsync()).Override);
    }

    private sealed class Collector(ConcurrentQueue<ReminderEvents.ReminderEvent> events) : IObserver<ReminderEvents.ReminderEvent>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(ReminderEvents.ReminderEvent value) => events.Enqueue(value);
    }
}

/// <summary>The engine on two silos over one Azurite, with membership settings that declare a killed silo dead within seconds.</summary>
public sealed class TwoSiloFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _cluster = await EngineFixture.StartClusterAsync(_azurite.ConnectionString, 2, new Dictionary<string, string?>
        {
            ["Cluster:Membership:ProbeTimeout"] = "00:00:01",
            ["Cluster:Membership:NumMissedProbesLimit"] = "2",
            ["Cluster:Membership:TableRefreshTimeout"] = "00:00:02",
            ["Cluster:Membership:IAmAliveTablePublishTimeout"] = "00:00:05",
            ["Cluster:Membership:DeathVoteExpirationTimeout"] = "00:00:10",
        });
    }

    /// <summary>The seller's state as stored, read through the surviving silo's grain storage (no activation).</summary>
    public async Task<SellerState?> StoredAsync(ISellerGrain seller)
    {
        var storage = Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress).GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        var state = new GrainState<EntityRecord<SellerState>>();
        await storage.ReadStateAsync("seller", seller.GetGrainId(), state);
        return state.RecordExists ? state.State?.State : null;
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }
}
