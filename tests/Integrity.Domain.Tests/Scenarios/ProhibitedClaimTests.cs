using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Scenarios;

public sealed class ProhibitedClaimTests
{
    [Fact]
    public void Listing_whose_chinese_description_claims_medical_cures_is_suppressed()
    {
        var b = FraudScenarios.ChineseMedicalClaims();

        var market = new InMemoryMarketplace().ApplyAll(b.Events);

        var d = ScenarioAssert.Reached(market, EntityKind.Listing, "L-herb", (int)ListingStep.Suppressed, ReasonCodes.ProhibitedClaim);
        var reason = d.Reasons.Single(r => r.Code == ReasonCodes.ProhibitedClaim);
        Assert.Equal(3, reason.Value);
        Assert.Contains("\"根治\" (zh)", reason.Message, StringComparison.Ordinal);
    }
}
