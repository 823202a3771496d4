using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.State;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Signals;

public sealed class SellerSignalTests
{
    private static readonly PolicyOptions Policy = PolicyOptions.Default;

    private static bool Trips(SellerState s, string code) => Fold.ReasonOf(s.Enforcement, code) is not null;

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Repeat_buyers_whose_orders_are_refunded_trip_brushing(bool brushed, bool trips)
    {
        var b = new ScenarioBuilder();
        var events = new List<IntegrityEvent> { b.Seller("S-1") };
        for (var i = 0; i < 12; i++)
        {
            var order = b.Advance(TimeSpan.FromHours(4)).Order($"O-{i}", "L-1", "S-1", brushed ? $"C-{i % 2}" : $"C-{i}");
            events.Add(order);
            events.Add(brushed ? b.Advance(TimeSpan.FromHours(1)).Refund(order) : b.Advance(TimeSpan.FromDays(2)).Deliver(order));
        }

        Assert.Equal(trips, Trips(Fold.Seller(events), ReasonCodes.Brushing));
    }

    [Theory]
    [InlineData("1 Mill Lane", true)]
    [InlineData("22 Other Street", false)]
    public void Orders_shipped_to_the_sellers_own_address_trip_self_linked_orders(string shipTo, bool trips)
    {
        var b = new ScenarioBuilder();
        var events = new List<IntegrityEvent> { b.Seller("S-1", ScenarioBuilder.Ids(bank: "bank-1", address: "1, mill lane")) };
        for (var i = 0; i < 3; i++) events.Add(b.Advance(TimeSpan.FromHours(4)).Order($"O-{i}", "L-1", "S-1", $"C-{i}", shipTo: shipTo));

        Assert.Equal(trips, Trips(Fold.Seller(events), ReasonCodes.SelfLinkedOrders));
    }

    [Theory]
    [InlineData(20, true)]
    [InlineData(200, false)]
    public void Complaints_relative_to_orders_trip_the_seller_complaint_rate(int orders, bool trips)
    {
        var b = new ScenarioBuilder();
        var events = new List<IntegrityEvent>();
        for (var i = 0; i < orders; i++) events.Add(b.Advance(TimeSpan.FromMinutes(20)).Order($"O-{i}", $"L-{i % 3}", "S-1", $"C-{i}"));
        for (var i = 0; i < 8; i++) events.Add(b.Advance(TimeSpan.FromHours(1)).Complaint($"L-{i % 3}", "S-1", $"C-{i}"));

        Assert.Equal(trips, Trips(Fold.Seller(events), ReasonCodes.SellerComplaintRate));
    }

    [Theory]
    [InlineData(BrandReportKind.Counterfeit, true)]
    [InlineData(BrandReportKind.Defamation, false)]
    public void Counterfeit_reports_trip_counterfeit_reports_but_defamation_reports_do_not(BrandReportKind kind, bool trips)
    {
        var b = new ScenarioBuilder();
        var events = Enumerable.Range(0, 3).Select(i => (IntegrityEvent)b.Advance(TimeSpan.FromHours(1)).BrandReport("B-1", kind, "S-1", $"L-{i}"));

        Assert.Equal(trips, Trips(Fold.Seller(events), ReasonCodes.CounterfeitReports));
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(1, false)]
    public void Suppressed_listings_trip_listings_enforced(int level, bool trips)
    {
        var s = SellerRules.ObserveListingOutcome(SellerState.Create("S-1"), new ListingOutcomeFact("L-1", level, 65, ["COUNTERFEIT"], ScenarioBuilder.DefaultStart), Policy).State;

        Assert.Equal(trips, Trips(s, ReasonCodes.ListingsEnforced));
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(1, false)]
    public void Several_listings_with_manipulated_reviews_trip_review_manipulation(int listings, bool trips)
    {
        var s = SellerState.Create("S-1");
        for (var i = 0; i < listings; i++) s = SellerRules.ObserveListingOutcome(s, new ListingOutcomeFact($"L-{i}", 1, 45, [ReasonCodes.ReviewBurst], ScenarioBuilder.DefaultStart), Policy).State;

        Assert.Equal(trips, Trips(s, ReasonCodes.ReviewManipulation));
    }

    [Theory]
    [InlineData(IdentifierKind.BankAccount, true)]
    [InlineData(IdentifierKind.Address, false)]
    public void Five_sellers_sharing_a_strong_identifier_trip_linked_network(IdentifierKind kind, bool trips)
    {
        var facts = Enumerable.Range(0, 5).Select(i => new LinkedSellerFact($"S-{i + 2}", 0, [kind], ScenarioBuilder.DefaultStart)).ToList();
        var b = new ScenarioBuilder();

        var s = Fold.Seller([b.Seller("S-1")], _ => new SellerContext(facts));

        Assert.Equal(trips, Trips(s, ReasonCodes.LinkedNetwork));
    }

    [Theory]
    [InlineData(SellerStep.Closed, true)]
    [InlineData(SellerStep.Suspended, false)]
    public void Seller_linked_to_a_closed_seller_is_held_whatever_its_score(SellerStep linkedStep, bool held)
    {
        var s = SellerRules.ObserveLinkedSeller(SellerState.Create("S-1"), new LinkedSellerFact("S-2", (int)linkedStep, [IdentifierKind.Device], ScenarioBuilder.DefaultStart), Policy).State;

        Assert.Equal(held, s.Step == SellerStep.PayoutsHeld);
        Assert.Equal(held, Trips(s, ReasonCodes.LinkedToClosed));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(30, false)]
    public void Many_listings_in_a_day_from_a_new_seller_trip_onboarding_velocity(int sellerAgeDays, bool trips)
    {
        var b = new ScenarioBuilder();
        var events = new List<IntegrityEvent> { b.Seller("S-1") };
        b.Advance(TimeSpan.FromDays(sellerAgeDays));
        for (var i = 0; i < 60; i++) events.Add(b.Advance(TimeSpan.FromMinutes(10)).Listing($"L-{i}", "S-1"));

        Assert.Equal(trips, Trips(Fold.Seller(events), ReasonCodes.OnboardingVelocity));
    }

    [Fact]
    public void Penalty_points_halve_every_half_life()
    {
        var credit = new CreditRecord { Offenses = 1, Penalties = [new PenaltyEntry(ScenarioBuilder.DefaultStart, 40, 1, "d-1")] };

        Assert.Equal(40, credit.DecayedPriorPoints(ScenarioBuilder.DefaultStart, TimeSpan.FromDays(30), currentOffense: 2), 6);
        Assert.Equal(20, credit.DecayedPriorPoints(ScenarioBuilder.DefaultStart + TimeSpan.FromDays(30), TimeSpan.FromDays(30), 2), 6);
        Assert.Equal(5, credit.DecayedPriorPoints(ScenarioBuilder.DefaultStart + TimeSpan.FromDays(90), TimeSpan.FromDays(30), 2), 6);
        Assert.Equal(0, credit.DecayedPriorPoints(ScenarioBuilder.DefaultStart, TimeSpan.FromDays(30), currentOffense: 1));
    }
}
