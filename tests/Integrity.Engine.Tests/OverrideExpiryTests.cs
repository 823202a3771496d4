using Integrity.Contracts;
using Integrity.Domain.State;
using Integrity.Domain.Tests.Fixtures;
using Integrity.Grains.Checkpoints;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Providers;
using Orleans.Storage;

namespace Integrity.Engine.Tests;

/// <summary>
/// An analyst's override with an expiry ends at its <c>until</c> through an Orleans reminder in the Azure reminder
/// table, so it does not depend on the grain staying in memory; the reminder goes once the override has ended or been
/// taken back, and a tick before <c>until</c> changes nothing.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class OverrideExpiryTests(EngineFixture engine)
{
    /// <summary>Far longer than a reminder tick plus a reactivation takes on 2 cores; short enough that a regression fails instead of hanging.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private const string ExpiryReminder = "override-expiry";

    [Fact]
    public async Task Override_with_an_expiry_ends_on_time_after_its_grain_was_deactivated()
    {
        var seller = await SellerAsync("S-expiry-deact");
        var until = DateTimeOffset.UtcNow.AddSeconds(3);

        var pinned = await seller.ActAsync(Override("pin-deact", level: 2, until));
        Assert.Equal(2, pinned.Level);
        Assert.Equal(until, pinned.Override?.Until);

        // Out of memory well before until: nothing but the reminder can bring it back. From here on the test reads
        // stored state only, which activates nothing.
        await seller.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var management = engine.Cluster.Client.GetGrain<IManagementGrain>(0);
        await WaitAsync(async () => await management.GetActivationAddress(seller) is null, "the grain did not deactivate");
        Assert.True(DateTimeOffset.UtcNow < until, "the grain deactivated only after the override's end; the test proves nothing");
        Assert.Equal(until, (await StoredAsync(seller))?.Enforcement.Override?.Until);

        await WaitAsync(async () => (await StoredAsync(seller))?.Enforcement.Override is null, "the override did not end after its grain was deactivated");
        Assert.True(DateTimeOffset.UtcNow >= until, "the override ended before its until");
        var stored = await StoredAsync(seller);
        Assert.Equal(2, stored?.Enforcement.Level);
        Assert.True(stored?.Enforcement.AssessedAt >= until, $"reassessed at {stored?.Enforcement.AssessedAt:O}, before {until:O}");

        await WaitAsync(async () => !await HasExpiryReminderAsync(seller), "the reminder was not unregistered after the override ended");
        var view = await seller.GetViewAsync();
        Assert.Null(view.Override);
        Assert.Equal(2, view.Level);
    }

    [Fact]
    public async Task Taking_an_expiring_override_back_or_replacing_it_without_expiry_unregisters_its_reminder()
    {
        var reinstated = await SellerAsync("S-expiry-reinstate");
        await reinstated.ActAsync(Override("pin-r", level: 2, DateTimeOffset.UtcNow.AddHours(1)));
        Assert.True(await HasExpiryReminderAsync(reinstated), "an override with until registered no reminder");
        await reinstated.ActAsync(new AnalystCommand(AnalystVerb.Reinstate, "reinstate-r", "analyst-1", DateTimeOffset.UtcNow, "Cleared"));
        Assert.False(await HasExpiryReminderAsync(reinstated), "reinstating left the expiry reminder behind");

        var replaced = await SellerAsync("S-expiry-replace");
        await replaced.ActAsync(Override("pin-x1", level: 2, DateTimeOffset.UtcNow.AddHours(1)));
        Assert.True(await HasExpiryReminderAsync(replaced), "an override with until registered no reminder");
        var open = await replaced.ActAsync(Override("pin-x2", level: 3, until: null));
        Assert.Equal(3, open.Override?.Level);
        Assert.False(await HasExpiryReminderAsync(replaced), "an override without until left the earlier one's reminder behind");
    }

    [Fact]
    public async Task A_reminder_tick_before_the_override_ends_changes_nothing_and_keeps_the_reminder()
    {
        var seller = await SellerAsync("S-expiry-early");
        var until = DateTimeOffset.UtcNow.AddHours(1);
        var pinned = await seller.ActAsync(Override("pin-early", level: 2, until));

        var now = DateTime.UtcNow;
        await seller.AsReference<IRemindable>().ReceiveReminder(ExpiryReminder, new TickStatus(now, TimeSpan.FromSeconds(1), now));

        var after = await seller.GetViewAsync();
        Assert.Equal(pinned.Override, after.Override);
        Assert.Equal(pinned.AssessedAt, after.AssessedAt);
        Assert.Equal(until, (await StoredAsync(seller))?.Enforcement.Override?.Until);
        Assert.True(await HasExpiryReminderAsync(seller), "an early tick unregistered the reminder of an override still running");
    }

    private static AnalystCommand Override(string actionId, int level, DateTimeOffset? until) =>
        new(AnalystVerb.Override, actionId, "analyst-1", DateTimeOffset.UtcNow, "Pinned while we check", level, until);

    /// <summary>A seller the engine knows (applied through the journal and stored).</summary>
    private async Task<ISellerGrain> SellerAsync(string id)
    {
        var b = new ScenarioBuilder { Prefix = id };
        b.Seller(id);
        await engine.IngestAsync(b.Events);
        await engine.WaitUntilSettledAsync();
        return engine.Cluster.Client.GetGrain<ISellerGrain>(id);
    }

    /// <summary>The seller's state as stored, read through the engine's grain storage (no activation).</summary>
    private async Task<SellerState?> StoredAsync(ISellerGrain seller)
    {
        var storage = engine.Silo.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        var state = new GrainState<EntityRecord<SellerState>>();
        await storage.ReadStateAsync("seller", seller.GetGrainId(), state);
        return state.RecordExists ? state.State?.State : null;
    }

    /// <summary>Whether the reminder table holds the seller's expiry reminder.</summary>
    private async Task<bool> HasExpiryReminderAsync(ISellerGrain seller)
    {
        var rows = await engine.Silo.GetRequiredService<IReminderTable>().ReadRows(seller.GetGrainId());
        return rows.Reminders.Any(r => r.ReminderName == ExpiryReminder);
    }

    /// <summary>Polls the condition until it holds, within <see cref="Bound"/>.</summary>
    private static async Task WaitAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(100);
        }
    }
}
