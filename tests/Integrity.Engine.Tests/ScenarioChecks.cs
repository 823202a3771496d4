using Integrity.Contracts;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Serialization;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Engine.Tests;

/// <summary>Runs a scenario through the cluster and through the in-memory reference, and checks entities against both.</summary>
internal sealed class ScenarioRun(IEngineUnderTest engine, IReadOnlyList<IntegrityEvent> events)
{
    public InMemoryMarketplace Reference { get; } = new InMemoryMarketplace().ApplyAll(events);

    public static async Task<ScenarioRun> StartAsync(IEngineUnderTest engine, IReadOnlyList<IntegrityEvent> events)
    {
        var run = new ScenarioRun(engine, events);
        await engine.IngestAsync(events);
        await engine.WaitUntilSettledAsync();
        return run;
    }

    public Task<EntityView> ViewAsync(EntityKind kind, string id) => engine.ViewAsync(kind, id);

    /// <summary>
    /// The entity reached at least <paramref name="minLevel"/> in the cluster, at the same level as the reference;
    /// the audit table holds the decision with its reasons, evidence, triggering events and policy version; and
    /// <paramref name="code"/> is among the reasons of an audited decision or of the entity's current assessment.
    /// (Within one journal row the cluster applies a listing's reviews before their reviewers' risk comes back, so
    /// which reason tips a step can differ from a one-by-one run even though the step is the same.)
    /// </summary>
    public async Task<Decision> ReachedAsync(EntityKind kind, string id, int minLevel, string code)
    {
        var view = await ViewAsync(kind, id);
        Assert.True(view.Level >= minLevel, $"{kind} {id} is at {view.Step} ({view.Level}), expected at least {minLevel}; reasons: {string.Join("; ", view.Reasons)}");
        Assert.Equal(ReferenceLevel(kind, id), view.Level);

        var decisions = (await engine.DecisionsAsync(kind, id)).Where(r => r.Kind == "decision").Select(r => DomainJson.Deserialize<Decision>(r.Details)).ToList();
        var audited = string.Join(" | ", decisions.Select(d => $"{d.To}: {string.Join(", ", d.Reasons.Select(r => r.Code))}"));
        var decision = decisions.LastOrDefault(d => d.ToLevel >= minLevel && d.Reasons.Any(r => r.Code == code))
            ?? decisions.LastOrDefault(d => d.ToLevel >= minLevel);
        Assert.True(decision is not null, $"no audited decision of {kind} {id} at level ≥ {minLevel}; audited: {audited}");
        Assert.True(decision.Reasons.Any(r => r.Code == code) || view.Reasons.Any(r => r.Code == code && r.Weight > 0),
            $"{code} is neither in an audited decision of {kind} {id} ({audited}) nor in its current reasons ({string.Join("; ", view.Reasons)})");
        Assert.NotEmpty(decision.TriggeringEventIds);
        Assert.False(string.IsNullOrEmpty(decision.PolicyVersion));
        Assert.All(decision.Reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.Message)));
        return decision;
    }

    public async Task NoDecisionAsync(EntityKind kind, string id)
    {
        var records = await engine.DecisionsAsync(kind, id);
        Assert.True(records.Count == 0, $"{kind} {id} has decisions: {string.Join(" | ", records.Select(r => $"{r.Step} {r.Details}"))}");
        Assert.Equal(0, (await ViewAsync(kind, id)).Level);
    }

    private int ReferenceLevel(EntityKind kind, string id) => kind switch
    {
        EntityKind.Listing => Reference.Listing(id).Enforcement.Level,
        EntityKind.Reviewer => Reference.Reviewer(id).Enforcement.Level,
        EntityKind.Seller => Reference.Seller(id).Enforcement.Level,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
