using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Scenarios;

public sealed class ReOffenderTests
{
    /// <summary>The first offense: brushing, then an analyst reinstates the seller (the credit record remains).</summary>
    private static InMemoryMarketplace FirstOffenseThenReinstated(ScenarioBuilder b, InMemoryMarketplace market, string sellerId)
    {
        FraudScenarios.FirstOffense(b, sellerId);
        market.ApplyAll(b.Events);
        Assert.True(market.Seller(sellerId).Step >= SellerStep.NewListingsBlocked);
        market.ActOnSeller(sellerId, s => AnalystActions.Reinstate(s, new AnalystAction($"act-{sellerId}", "analyst-1", b.Now + TimeSpan.FromHours(1)), market.Policy));
        Assert.Equal(SellerStep.None, market.Seller(sellerId).Step);
        return market;
    }

    private static SellerStep SecondOffenseStep(bool priorOffense, TimeSpan after)
    {
        var b = new ScenarioBuilder();
        var market = new InMemoryMarketplace();
        if (priorOffense) FirstOffenseThenReinstated(b, market, "S-re");
        else b.Seller("S-re");
        var events = b.Events.Count;

        FraudScenarios.SecondOffense(b, "S-re", ScenarioBuilder.DefaultStart + after);
        market.ApplyAll(b.Events.Skip(priorOffense ? events : 0));
        return market.Seller("S-re").Step;
    }

    [Fact]
    public void Re_offender_after_decay_starts_lower_than_with_fresh_points_but_higher_than_a_first_timer()
    {
        var firstTimer = SecondOffenseStep(priorOffense: false, after: TimeSpan.FromDays(365));
        var afterDecay = SecondOffenseStep(priorOffense: true, after: TimeSpan.FromDays(365));
        var pointsFresh = SecondOffenseStep(priorOffense: true, after: TimeSpan.FromDays(10));

        Assert.Equal(SellerStep.Warning, firstTimer);
        Assert.True(afterDecay > firstTimer, $"after decay {afterDecay} vs first timer {firstTimer}");
        Assert.True(pointsFresh > afterDecay, $"fresh points {pointsFresh} vs after decay {afterDecay}");
    }

    [Fact]
    public void Re_offense_decision_explains_the_credit_record()
    {
        var b = new ScenarioBuilder();
        var market = FirstOffenseThenReinstated(b, new InMemoryMarketplace(), "S-re2");
        var before = b.Events.Count;
        FraudScenarios.SecondOffense(b, "S-re2", ScenarioBuilder.DefaultStart + TimeSpan.FromDays(365));
        market.ApplyAll(b.Events.Skip(before));

        var d = market.DecisionsFor(EntityKind.Seller, "S-re2").Last();
        var credit = d.Reasons.Single(r => r.Code == ReasonCodes.CreditRecord);
        Assert.Contains("1 prior offense", credit.Message, StringComparison.Ordinal);
        Assert.Equal(1 + 1, market.Seller("S-re2").Credit.Offenses);
    }
}
