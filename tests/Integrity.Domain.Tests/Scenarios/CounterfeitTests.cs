using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Scenarios;

public sealed class CounterfeitTests
{
    private static InMemoryMarketplace Run(string sellerId, decimal price)
    {
        var b = FraudScenarios.Counterfeit(sellerId, price);
        return new InMemoryMarketplace().ApplyAll(b.Events);
    }

    [Fact]
    public void Brand_keyword_by_an_unauthorized_seller_at_20_percent_of_reference_is_suppressed_as_counterfeit()
    {
        var market = Run("S-fake", 39.80m);

        var d = ScenarioAssert.Reached(market, EntityKind.Listing, "L-cf", (int)ListingStep.Suppressed, ReasonCodes.Counterfeit);
        var reason = d.Reasons.Single(r => r.Code == ReasonCodes.Counterfeit);
        Assert.Equal(0.2, reason.Value, 3);
        Assert.Contains("20% of the reference 199.00", reason.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("S-auth")]
    [InlineData("S-official")]
    public void The_same_listing_by_an_authorized_seller_or_official_store_is_not_counterfeit(string sellerId)
    {
        Assert.Empty(Run(sellerId, 39.80m).Decisions);
    }
}
