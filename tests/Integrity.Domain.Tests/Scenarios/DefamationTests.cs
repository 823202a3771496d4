using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Scenarios;

public sealed class DefamationTests
{
    /// <summary>A brand's official store with a week of honest reviews, then 15 fresh accounts 1-star its 3 listings within 2 hours.</summary>
    private static InMemoryMarketplace Run(TimeSpan? stopAfterAttackStart = null)
    {
        var (b, attackStart) = FraudScenarios.Defamation();
        var stop = stopAfterAttackStart is { } until ? attackStart + until : DateTimeOffset.MaxValue;
        return new InMemoryMarketplace().ApplyAll(b.Events.Where(e => e.OccurredAt <= stop));
    }

    [Fact]
    public void Coordinated_one_star_burst_flags_the_attacking_reviewers()
    {
        var market = Run();

        for (var a = 0; a < 15; a++) ScenarioAssert.Reached(market, EntityKind.Reviewer, $"C-troll-{a}", (int)ReviewerStep.DownWeighted, ReasonCodes.Lockstep);
    }

    [Fact]
    public void Coordinated_one_star_burst_does_not_punish_the_brands_official_store()
    {
        var market = Run();

        var punished = market.Decisions.Where(d => d.EntityKind is EntityKind.Listing or EntityKind.Seller).ToList();
        Assert.True(punished.Count == 0, string.Join("\n", punished.Select(d => $"{d.EntityId} → {d.To}: {string.Join("; ", d.Reasons)}")));
        Assert.Equal(SellerStep.None, market.Seller("S-official").Step);
    }

    [Fact]
    public void During_the_burst_the_target_listing_shows_a_review_attack_that_weighs_nothing()
    {
        var duringFirstRound = Run(stopAfterAttackStart: TimeSpan.FromMinutes(31));

        var reasons = duringFirstRound.Listing("L-off-1").Enforcement.Reasons;
        var attack = Assert.Single(reasons, r => r.Code == ReasonCodes.ReviewAttack);
        Assert.Equal(0, attack.Weight);
        Assert.StartsWith("15 1-2 star reviews in 1h", attack.Message, StringComparison.Ordinal);
        Assert.Equal(ListingStep.None, duringFirstRound.Listing("L-off-1").Step);
    }
}
