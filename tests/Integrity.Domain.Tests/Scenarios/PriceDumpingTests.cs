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
        var b = new ScenarioBuilder();
        var random = new Random(7);
        for (var i = 0; i < 30; i++)
        {
            b.Seller($"S-cat-{i}");
            b.Listing($"L-cat-{i}", $"S-cat-{i}", $"Espresso machine {i}", "15 bar pump.", "coffee", Math.Round(150m + (decimal)(random.NextDouble() * 60), 2));
        }

        b.Seller("S-dump");
        b.Listing("L-dump", "S-dump", "Espresso machine", "15 bar pump.", "coffee", 19.90m);

        var market = new InMemoryMarketplace().ApplyAll(b.Events);

        var d = ScenarioAssert.Reached(market, EntityKind.Listing, "L-dump", (int)ListingStep.Flagged, ReasonCodes.PriceDumping);
        Assert.True(d.Reasons.Single(r => r.Code == ReasonCodes.PriceDumping).Value < 0.15);
        Assert.Single(market.Decisions);
    }
}
