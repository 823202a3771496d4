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
        var b = FraudScenarios.PaidReviewRing();
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
