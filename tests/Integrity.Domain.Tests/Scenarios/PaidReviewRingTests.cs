using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Scenarios;

public sealed class PaidReviewRingTests
{
    /// <summary>20 fresh accounts 5-star the same 3 listings of one seller within hours; 8 bought, reviewed, then got refunded.</summary>
    internal static InMemoryMarketplace Run()
    {
        var b = new ScenarioBuilder();
        b.Seller("S-ring");
        string[] listings = ["L-ring-1", "L-ring-2", "L-ring-3"];
        foreach (var l in listings) b.Listing(l, "S-ring", $"Smart watch {l}", "Fitness tracker with heart rate.", "wearables", 45m);
        b.Advance(TimeSpan.FromDays(3));

        var accountsCreated = b.Now - TimeSpan.FromDays(2);
        var ringStart = b.Now;
        var orders = new Dictionary<string, OrderPlaced>();
        for (var a = 0; a < 8; a++)
        {
            b.Advance(TimeSpan.FromMinutes(5));
            orders[$"C-ring-{a}"] = b.Order($"O-ring-{a}", listings[0], "S-ring", $"C-ring-{a}", 45m);
        }

        for (var round = 0; round < listings.Length; round++)
        {
            b.At(ringStart + TimeSpan.FromHours(1 + round));
            for (var a = 0; a < 20; a++)
            {
                b.Advance(TimeSpan.FromMinutes(2));
                var account = $"C-ring-{a}";
                var verified = round == 0 && orders.TryGetValue(account, out var o) ? o.OrderId : null;
                b.Review(listings[round], "S-ring", account, 5, $"Amazing watch, best purchase ever, works perfectly, highly recommend to everyone! #{a % 3}", verified, accountsCreated);
            }
        }

        b.Advance(TimeSpan.FromHours(6));
        foreach (var order in orders.Values) b.Advance(TimeSpan.FromMinutes(3)).Refund(order);
        return new InMemoryMarketplace().ApplyAll(b.Events);
    }

    [Fact]
    public void Ring_reviewers_are_flagged_for_lockstep_co_reviewing()
    {
        var market = Run();

        for (var a = 0; a < 20; a++)
        {
            var d = ScenarioAssert.Reached(market, EntityKind.Reviewer, $"C-ring-{a}", (int)ReviewerStep.ReviewsHidden, ReasonCodes.Lockstep);
            Assert.Contains(d.Reasons, r => r.Code == ReasonCodes.Lockstep && r.Value >= 2);
        }
    }

    [Fact]
    public void Ring_reviewers_refunded_after_reviewing_carry_review_then_refund()
    {
        var market = Run();

        for (var a = 0; a < 8; a++)
        {
            var reasons = market.Reviewer($"C-ring-{a}").Enforcement.Reasons;
            Assert.Contains(reasons, r => r.Code == ReasonCodes.ReviewThenRefund);
        }
    }

    [Fact]
    public void Ring_listings_are_suppressed_for_a_review_burst_from_suspicious_reviewers()
    {
        var market = Run();

        foreach (var l in new[] { "L-ring-1", "L-ring-2", "L-ring-3" })
        {
            ScenarioAssert.Reached(market, EntityKind.Listing, l, (int)ListingStep.Suppressed, ReasonCodes.SuspiciousReviewers);
            Assert.Contains(market.DecisionsFor(EntityKind.Listing, l).SelectMany(d => d.Reasons), r => r.Code == ReasonCodes.ReviewBurst);
        }
    }

    [Fact]
    public void Ring_seller_is_restricted_for_review_manipulation_across_its_listings()
    {
        var market = Run();

        ScenarioAssert.Reached(market, EntityKind.Seller, "S-ring", (int)SellerStep.NewListingsBlocked, ReasonCodes.ReviewManipulation);
    }
}
