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

    [Fact]
    public void Listing_that_arrived_in_a_young_category_is_flagged_at_its_first_order_once_the_category_has_prices()
    {
        var b = new ScenarioBuilder { Prefix = "young" };
        b.Seller("S-early");
        b.Listing("L-early", "S-early", "Espresso machine", "15 bar pump.", "coffee-young", 19.90m);
        var random = new Random(7);
        for (var i = 0; i < 30; i++)
        {
            b.Seller($"S-later-{i}");
            b.Listing($"L-later-{i}", $"S-later-{i}", $"Espresso machine {i}", "15 bar pump.", "coffee-young", Math.Round(150m + (decimal)(random.NextDouble() * 60), 2));
        }

        var before = new InMemoryMarketplace().ApplyAll(b.Events);
        Assert.Empty(before.Decisions);

        b.Advance(TimeSpan.FromHours(1)).Order("O-early", "L-early", "S-early", "C-buyer", 19.90m);
        var market = new InMemoryMarketplace().ApplyAll(b.Events);

        var d = ScenarioAssert.Reached(market, EntityKind.Listing, "L-early", (int)ListingStep.Flagged, ReasonCodes.PriceDumping);
        Assert.Contains(b.Events[^1].EventId, d.TriggeringEventIds);
        Assert.Single(market.Decisions);
    }
}
