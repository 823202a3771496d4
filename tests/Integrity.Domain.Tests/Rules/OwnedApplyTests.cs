using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.Serialization;
using Integrity.Domain.State;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Rules;

/// <summary>
/// An owned apply (the grain's copy for a batch) changes the state in place instead of copying it per event; it must
/// reach exactly the state and decisions the copying apply reaches, and the copying apply must leave its input alone.
/// </summary>
public sealed class OwnedApplyTests
{
    [Fact]
    public void Owned_applies_change_the_state_in_place_and_reach_the_same_state_and_decisions_as_copying_ones()
    {
        var events = BrushingSeller();
        var policy = PolicyOptions.Default;

        var copied = SellerState.Create("S-1");
        var copiedSteps = new List<string>();
        var owned = SellerState.Create("S-1");
        var ownedSteps = new List<string>();
        foreach (var e in events)
        {
            var c = SellerRules.Apply(copied, e, SellerContext.None, policy);
            Assert.NotSame(copied, c.State);
            copied = c.State;
            copiedSteps.AddRange(c.Decision is { } d ? [$"{d.FromLevel}->{d.ToLevel}@{d.TriggeringEventIds[0]}"] : []);

            var o = SellerRules.Apply(owned, e, SellerContext.None, policy, owned: true);
            Assert.Same(owned, o.State);
            ownedSteps.AddRange(o.Decision is { } od ? [$"{od.FromLevel}->{od.ToLevel}@{od.TriggeringEventIds[0]}"] : []);
        }

        Assert.NotEmpty(copiedSteps);
        Assert.Equal(copiedSteps, ownedSteps);
        Assert.Equal(DomainJson.Serialize(copied), DomainJson.Serialize(owned));
        Assert.Equal(events.Count, owned.EventsApplied);
    }

    [Fact]
    public void A_copying_apply_leaves_its_input_as_it_was()
    {
        var events = BrushingSeller();
        var policy = PolicyOptions.Default;
        var state = SellerState.Create("S-1");
        foreach (var e in events.Take(events.Count / 2))
        {
            state = SellerRules.Apply(state, e, SellerContext.None, policy).State;
        }

        var before = DomainJson.Serialize(state);
        foreach (var e in events.Skip(events.Count / 2))
        {
            _ = SellerRules.Apply(state, e, SellerContext.None, policy);
        }

        Assert.Equal(before, DomainJson.Serialize(state));
    }

    /// <summary>A seller whose orders are mostly refunded by a few repeat buyers: enough to climb its ladder.</summary>
    private static List<IntegrityEvent> BrushingSeller()
    {
        var b = new ScenarioBuilder();
        var events = new List<IntegrityEvent> { b.Seller("S-1"), b.Listing("L-1", "S-1") };
        for (var i = 0; i < 60; i++)
        {
            b.Advance(TimeSpan.FromMinutes(7));
            var order = b.Order($"O-{i}", "L-1", "S-1", $"C-{i % 3}");
            events.Add(order);
            if (i % 4 != 0)
            {
                b.Advance(TimeSpan.FromMinutes(3));
                events.Add(b.Refund(order));
            }
        }

        return events;
    }
}
