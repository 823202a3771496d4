using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Scenarios;

internal static class ScenarioAssert
{
    /// <summary>
    /// The entity's decisions reached at least <paramref name="minLevel"/>, with evidence, and <paramref name="code"/>
    /// counted in a decision or (when it tripped after the last step) in the entity's current reasons.
    /// Returns the decision carrying the code, else the highest one.
    /// </summary>
    public static Decision Reached(InMemoryMarketplace market, EntityKind kind, string id, int minLevel, string code)
    {
        var decisions = market.DecisionsFor(kind, id).ToList();
        Assert.True(decisions.Count > 0, $"no decision for {kind} {id}");
        var top = decisions.MaxBy(d => d.ToLevel)!;
        Assert.True(top.ToLevel >= minLevel, $"{kind} {id} reached only {top.To}: {string.Join("; ", top.Reasons)}");
        Assert.All(decisions, d => Assert.NotEmpty(d.TriggeringEventIds));
        Assert.All(decisions, d => Assert.Equal(market.Policy.Version, d.PolicyVersion));
        var withCode = decisions.LastOrDefault(d => d.Reasons.Any(r => r.Code == code && r.Weight > 0));
        var current = kind switch
        {
            EntityKind.Listing => market.Listing(id).Enforcement.Reasons,
            EntityKind.Reviewer => market.Reviewer(id).Enforcement.Reasons,
            _ => market.Seller(id).Enforcement.Reasons,
        };
        Assert.True(withCode is not null || current.Any(r => r.Code == code && r.Weight > 0),
            $"{kind} {id} has no {code}: {string.Join(" | ", decisions.Select(d => string.Join("; ", d.Reasons)))} / now: {string.Join("; ", current)}");
        return withCode ?? top;
    }
}
