using CsCheck;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.Serialization;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Properties;

public sealed class ApplyProperties
{
    private static InMemoryMarketplace Run(IEnumerable<IntegrityEvent> events) => new InMemoryMarketplace().ApplyAll(EventGen.Setup().Concat(events));

    private static string Snapshot(InMemoryMarketplace m) =>
        DomainJson.Serialize(new { m.Listings, m.Reviewers, m.Sellers, m.Categories, decisions = m.Decisions.Count });

    [Fact]
    public void Applying_the_same_events_twice_equals_applying_them_once()
    {
        EventGen.Stream.Sample(events =>
        {
            var once = Run(events);
            var twice = Run(events.SelectMany(e => new[] { e, e }).Concat(events));

            Assert.Equal(Snapshot(once), Snapshot(twice));
        }, iter: 60);
    }

    [Fact]
    public void Scores_stay_within_0_and_100()
    {
        EventGen.Stream.Sample(events =>
        {
            var m = Run(events);
            var scores = m.Listings.Values.Select(s => s.Enforcement.Score)
                .Concat(m.Reviewers.Values.Select(s => s.Enforcement.Score))
                .Concat(m.Sellers.Values.Select(s => s.Enforcement.Score))
                .Concat(m.Decisions.Select(d => d.Score));

            Assert.All(scores, s => Assert.InRange(s, 0, 100));
        }, iter: 60);
    }

    [Fact]
    public void Without_analyst_action_the_ladder_never_steps_down()
    {
        EventGen.Stream.Sample(events =>
        {
            var m = new InMemoryMarketplace().ApplyAll(EventGen.Setup());
            var seen = new Dictionary<string, int>();
            foreach (var e in events)
            {
                m.Apply(e);
                var levels = m.Listings.Values.Select(s => ($"L/{s.ListingId}", s.Enforcement.Level))
                    .Concat(m.Reviewers.Values.Select(s => ($"R/{s.ReviewerId}", s.Enforcement.Level)))
                    .Concat(m.Sellers.Values.Select(s => ($"S/{s.SellerId}", s.Enforcement.Level)));
                foreach (var (key, level) in levels)
                {
                    Assert.True(level >= seen.GetValueOrDefault(key), $"{key} stepped down from {seen.GetValueOrDefault(key)} to {level}");
                    seen[key] = level;
                }
            }

            Assert.All(m.Decisions, d => Assert.True(d.ToLevel > d.FromLevel && d.Origin == DecisionOrigin.Automatic));
        }, iter: 40);
    }

    [Fact]
    public void Out_of_order_delivery_counts_every_event_exactly_once()
    {
        Gen.Select(EventGen.Stream, Gen.Int).Sample((events, seed) =>
        {
            var shuffled = events.ToArray();
            new Random(seed).Shuffle(shuffled);

            var inOrder = Run(events);
            var outOfOrder = Run(shuffled);

            foreach (var (id, listing) in inOrder.Listings)
            {
                Assert.Equal(listing.RatingTotals, outOfOrder.Listing(id).RatingTotals);
                Assert.Equal(listing.Orders.Total, outOfOrder.Listing(id).Orders.Total);
                Assert.Equal(listing.Complaints.Count, outOfOrder.Listing(id).Complaints.Count);
            }

            foreach (var (id, seller) in inOrder.Sellers)
            {
                Assert.Equal(seller.Orders.Select(o => (o.OrderId, o.Status)).Order(), outOfOrder.Seller(id).Orders.Select(o => (o.OrderId, o.Status)).Order());
                Assert.Equal(seller.Applied.Entries.Count, outOfOrder.Seller(id).Applied.Entries.Count);
            }
        }, iter: 60);
    }

    /// <summary>
    /// The rules' apply and observe functions, unless told the caller owns the state, work on a copy. (The replay
    /// engine owns its states and applies in place, so this is asserted on the functions, not through the engine.)
    /// </summary>
    [Fact]
    public void Apply_never_mutates_the_state_it_is_given()
    {
        EventGen.Stream.Sample(events =>
        {
            var m = Run(events);
            var kept = (Listings: m.Listings.Values.ToList(), Reviewers: m.Reviewers.Values.ToList(), Sellers: m.Sellers.Values.ToList());
            var frozen = DomainJson.Serialize(kept);

            foreach (var e in events)
            {
                var again = e with { EventId = e.EventId + "-again", OccurredAt = e.OccurredAt + TimeSpan.FromHours(1) };
                var at = again.OccurredAt;
                foreach (var l in kept.Listings)
                {
                    ListingRules.Apply(l, again, ListingContext.None, m.Policy);
                    ListingRules.ObserveReviewerRisk(l, new ReviewerRiskFact(l.Reviews.FirstOrDefault()?.ReviewerId ?? "C-0", 3, 90, at), m.Policy);
                }

                foreach (var r in kept.Reviewers)
                {
                    ReviewerRules.Apply(r, again, ReviewerContext.None, m.Policy);
                    ReviewerRules.ObserveCoReview(r, new CoReviewFact("C-other", "L-other", at), m.Policy);
                }

                foreach (var s in kept.Sellers)
                {
                    SellerRules.Apply(s, again, SellerContext.None, m.Policy);
                    SellerRules.ObserveListingOutcome(s, new ListingOutcomeFact("L-other", 2, 60, [ReasonCodes.ReviewBurst], at), m.Policy);
                    SellerRules.ObserveLinkedSeller(s, new LinkedSellerFact("S-other", 4, [IdentifierKind.BankAccount], at), m.Policy);
                }
            }

            Assert.Equal(frozen, DomainJson.Serialize(kept));
        }, iter: 30);
    }

    [Fact]
    public void States_round_trip_through_json()
    {
        EventGen.Stream.Sample(events =>
        {
            var m = Run(events);
            foreach (var s in m.Listings.Values) Assert.Equal(DomainJson.Serialize(s), DomainJson.Serialize(DomainJson.Deserialize<Domain.State.ListingState>(DomainJson.Serialize(s))));
            foreach (var s in m.Reviewers.Values) Assert.Equal(DomainJson.Serialize(s), DomainJson.Serialize(DomainJson.Deserialize<Domain.State.ReviewerState>(DomainJson.Serialize(s))));
            foreach (var s in m.Sellers.Values) Assert.Equal(DomainJson.Serialize(s), DomainJson.Serialize(DomainJson.Deserialize<Domain.State.SellerState>(DomainJson.Serialize(s))));
        }, iter: 30);
    }
}
