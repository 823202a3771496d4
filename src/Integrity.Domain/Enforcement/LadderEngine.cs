using Integrity.Domain.Events;
using Integrity.Domain.Policy;

namespace Integrity.Domain.Enforcement;

/// <summary>What an evaluation concluded: the assessment's values, and the decision if the step changed (a value: one per apply, handed straight on).</summary>
internal readonly record struct LadderOutcome(AssessedValues Assessment, Decision? Decision);

/// <summary>
/// Turns reasons into a score and a ladder step. Never steps down: lowering is an analyst's act
/// (<see cref="Rules.AnalystActions"/>). Mutates the given enforcement state; callers pass a clone.
/// </summary>
internal static class LadderEngine
{
    /// <param name="scoreBoost">Added after combining (the seller credit record); its own reason is already in <paramref name="reasons"/>.</param>
    /// <param name="floorLevel">A level the entity must reach regardless of score (e.g. linked to a closed seller).</param>
    /// <param name="reasonsOwned">Nobody else holds or changes <paramref name="reasons"/>: the ladder may keep the list itself.</param>
    public static LadderOutcome Evaluate(
        EnforcementState enforcement,
        EntityKind kind,
        string entityId,
        IReadOnlyList<Reason> reasons,
        TriggeringId triggeringId,
        DateTimeOffset now,
        PolicyOptions policy,
        double scoreBoost = 0,
        int floorLevel = 0,
        bool reasonsOwned = false)
    {
        var counted = Acknowledge(enforcement, reasons, reasonsOwned);
        var score = Scoring.Round(Scoring.Combine(counted) + scoreBoost);

        if (enforcement.Override is { Until: { } until } && now >= until) enforcement.Override = null;

        var from = enforcement.Level;
        var target = Math.Max(Ladders.LevelFor(kind, score, policy), Math.Min(floorLevel, Ladders.TopLevel(kind)));
        Decision? decision = null;
        if (enforcement.Override is null && target > from)
        {
            var triggeringEventId = triggeringId.ToString();
            var triggering = counted.Where(r => r.Weight > 0).SelectMany(r => r.EventIds).Append(triggeringEventId)
                .Distinct(StringComparer.Ordinal).Take(Reason.MaxEventIds * 2).ToList();
            decision = new Decision(
                DecisionId: $"{kind.ToString().ToLowerInvariant()}/{entityId}/{target}/{triggeringEventId}",
                EntityKind: kind,
                EntityId: entityId,
                From: Ladders.StepName(kind, from),
                To: Ladders.StepName(kind, target),
                FromLevel: from,
                ToLevel: target,
                Score: score,
                Reasons: counted,
                TriggeringEventIds: triggering,
                PolicyVersion: policy.Version,
                At: now);
            enforcement.Level = target;
            enforcement.AddHistory(new StepRecord(decision.DecisionId, from, target, DecisionOrigin.Automatic, now, counted.Select(r => r.Code).ToList()));
        }

        enforcement.Score = score;
        enforcement.Reasons = decision is null ? counted : [.. counted];
        enforcement.AssessedAt = now;
        return new LadderOutcome(AssessedValues.Of(enforcement, kind, entityId, policy.Version, now), decision);
    }

    /// <summary>
    /// Acknowledged codes count for nothing while active; once a code goes quiet its acknowledgement lapses. Without
    /// acknowledgements, a list the caller gave away (<paramref name="owned"/>) is kept as it is instead of copied.
    /// </summary>
    private static List<Reason> Acknowledge(EnforcementState enforcement, IReadOnlyList<Reason> reasons, bool owned)
    {
        if (enforcement.Acknowledged.Count == 0) return owned && reasons is List<Reason> list ? list : [.. reasons];
        enforcement.Acknowledged.RemoveAll(code => !reasons.Any(r => r.Code == code));
        return reasons
            .Select(r => enforcement.Acknowledged.Contains(r.Code) ? r with { Weight = 0, Acknowledged = true } : r)
            .ToList();
    }
}
