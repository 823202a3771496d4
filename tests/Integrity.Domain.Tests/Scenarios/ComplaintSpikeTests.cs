using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Scenarios;

public sealed class ComplaintSpikeTests
{
    [Fact]
    public void Complaint_spike_on_a_listing_flags_the_listing_and_warns_the_seller()
    {
        var b = FraudScenarios.ComplaintSpike();

        var market = new InMemoryMarketplace().ApplyAll(b.Events);

        var listing = ScenarioAssert.Reached(market, EntityKind.Listing, "L-cmp", (int)ListingStep.Flagged, ReasonCodes.ComplaintRate);
        Assert.Contains("on 40 orders", listing.Reasons.Single(r => r.Code == ReasonCodes.ComplaintRate).Message, StringComparison.Ordinal);
        ScenarioAssert.Reached(market, EntityKind.Seller, "S-cmp", (int)SellerStep.Warning, ReasonCodes.SellerComplaintRate);
    }
}
