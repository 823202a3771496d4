using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.Serialization;
using Integrity.Domain.State;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Rules;

/// <summary>EventsApplied is what the exactly-once checks compare with the sender's ledger: one per distinct event.</summary>
public sealed class EventsAppliedTests
{
    [Fact]
    public void The_same_event_applied_twice_counts_once_on_every_entity_kind()
    {
        var b = new ScenarioBuilder();
        var listing = b.Listing("L-1", "S-1");
        var review = b.Review("L-1", "S-1", "C-1", 5, "Great sound, fast delivery");
        var policy = PolicyOptions.Default;

        var l = ListingRules.Apply(ListingState.Create("L-1"), listing, ListingContext.None, policy).State;
        l = ListingRules.Apply(l, review, ListingContext.None, policy).State;
        l = ListingRules.Apply(l, review, ListingContext.None, policy).State;
        var r = ReviewerRules.Apply(ReviewerState.Create("C-1"), review, ReviewerContext.None, policy).State;
        r = ReviewerRules.Apply(r, review, ReviewerContext.None, policy).State;
        var s = SellerRules.Apply(SellerState.Create("S-1"), review, SellerContext.None, policy).State;
        s = SellerRules.Apply(s, review, SellerContext.None, policy).State;

        Assert.Equal(2, l.EventsApplied);
        Assert.Equal(1, r.EventsApplied);
        Assert.Equal(1, s.EventsApplied);
    }

    [Fact]
    public void Facts_between_entities_are_not_events_and_do_not_count()
    {
        var b = new ScenarioBuilder();
        var policy = PolicyOptions.Default;
        var l = ListingRules.Apply(ListingState.Create("L-1"), b.Listing("L-1", "S-1"), ListingContext.None, policy).State;

        var observed = ListingRules.ObserveReviewerRisk(l, new ReviewerRiskFact("C-9", 2, 0.9, b.Now), policy).State;

        Assert.Equal(1, observed.EventsApplied);
    }

    [Fact]
    public void The_count_survives_a_json_round_trip_and_a_clone()
    {
        var b = new ScenarioBuilder();
        var s = SellerRules.Apply(SellerState.Create("S-1"), b.Seller("S-1"), SellerContext.None, PolicyOptions.Default).State;

        Assert.Equal(1, DomainJson.Deserialize<SellerState>(DomainJson.Serialize(s))!.EventsApplied);
        Assert.Equal(1, s.Clone().EventsApplied);
    }
}
