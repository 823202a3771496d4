using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Scenarios;

public sealed class PriceDumpingTests
{
    [Fact]
    public void Listing_priced_far_under_its_category_median_is_flagged_for_price_dumping()
    {
        var b = FraudScenarios.PriceDumping();

        var market = new InMemoryMarketplace().ApplyAll(b.Events);

        var d = ScenarioAssert.Reached(market, EntityKind.Listing, "L-dump", (int)ListingStep.Flagged, ReasonCodes.PriceDumping);
        Assert.True(d.Reasons.Single(r => r.Code == ReasonCodes.PriceDumping).Value < 0.15);
        Assert.Single(market.Decisions);
    }
}
