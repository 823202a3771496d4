using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Rules;

/// <summary>Who acted, when, and why. <see cref="ActionId"/> makes a retried action a no-op.</summary>
public sealed record AnalystAction(string ActionId, string Analyst, DateTimeOffset At, string? Note = null);

/// <summary>
/// What an analyst can do to an entity's ladder, as pure functions on state. These are the only ways a step goes
/// down. Each returns a decision for the audit trail. Reversing or reinstating acknowledges the reasons then active
/// so the same evidence does not re-escalate at the next event (new evidence still does).
/// </summary>
public static class AnalystActions
{
    /// <summary>The analyst agrees with the current step; recorded, nothing moves.</summary>
    public static ApplyResult<T> Confirm<T>(T state, AnalystAction action, PolicyOptions policy)
        where T : class, IEntityState<T> =>
        Act(state, action, policy, DecisionOrigin.AnalystConfirm, next => (next.Enforcement.Level, null, null));

    /// <summary>Undoes the latest step-up not yet reversed: back to where it came from, its penalty points withdrawn.</summary>
    /// <exception cref="InvalidOperationException">There is no step to reverse.</exception>
    public static ApplyResult<T> Reverse<T>(T state, AnalystAction action, PolicyOptions policy)
        where T : class, IEntityState<T> =>
        Act(state, action, policy, DecisionOrigin.AnalystReverse, next =>
        {
            var reversed = next.Enforcement.History.Select(h => h.Reverses).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var target = next.Enforcement.History.LastOrDefault(h => h.ToLevel > h.FromLevel && !reversed.Contains(h.DecisionId)
                && h.Origin is DecisionOrigin.Automatic or DecisionOrigin.AnalystOverride)
                ?? throw new InvalidOperationException($"{T.Kind} {next.EntityId} has no step to reverse.");

            Acknowledge(next.Enforcement, target.ReasonCodes);
            next.Enforcement.Override = null;
            if (next is SellerState seller)
            {
                seller.Credit.Penalties.RemoveAll(p => p.DecisionId == target.DecisionId);
                if (target.FromLevel == 0) seller.Credit.Offenses = Math.Max(0, seller.Credit.Offenses - 1);
            }

            return (Math.Min(target.FromLevel, next.Enforcement.Level), target.DecisionId, null);
        });

    /// <summary>Back to None. The credit record keeps the offense: reinstatement is forgiveness, not amnesia.</summary>
    public static ApplyResult<T> Reinstate<T>(T state, AnalystAction action, PolicyOptions policy)
        where T : class, IEntityState<T> =>
        Act(state, action, policy, DecisionOrigin.AnalystReinstate, next =>
        {
            Acknowledge(next.Enforcement, next.Enforcement.Reasons.Select(r => r.Code));
            next.Enforcement.Override = null;
            return (0, null, null);
        });

    /// <summary>
    /// Pins the entity at <paramref name="level"/> (up or down) until <paramref name="until"/> (null: until changed).
    /// While pinned, automatic steps are suspended; after expiry the ladder resumes from the pinned level.
    /// </summary>
    public static ApplyResult<T> Override<T>(T state, int level, DateTimeOffset? until, AnalystAction action, PolicyOptions policy)
        where T : class, IEntityState<T>
    {
        if (level < 0 || level > Ladders.TopLevel(T.Kind)) throw new ArgumentOutOfRangeException(nameof(level), level, $"Not a {T.Kind} ladder level.");
        if (until is { } u && u <= action.At) throw new ArgumentException("An override must expire after it is made.", nameof(until));
        return Act(state, action, policy, DecisionOrigin.AnalystOverride, next =>
        {
            if (level < next.Enforcement.Level) Acknowledge(next.Enforcement, next.Enforcement.Reasons.Select(r => r.Code));
            next.Enforcement.Override = new LadderOverride(level, until, action.Analyst, action.Note, action.At);
            return (level, null, until);
        });
    }

    /// <summary>
    /// A note moves nothing, but its id is remembered like any action's, so a retried note is recorded once
    /// (<see cref="ApplyResult{TState}.Changed"/> is false for the retry). The note itself goes to the audit trail.
    /// </summary>
    public static ApplyResult<T> Note<T>(T state, AnalystAction action, PolicyOptions policy)
        where T : class, IEntityState<T>
    {
        var status = state.Applied.Check(action.ActionId, action.At);
        if (status != ApplyStatus.Applied) return EntityRunner.Unchanged(state, status, policy);

        var next = state.Clone();
        next.Applied.Record(action.ActionId, action.At);
        return EntityRunner.Unchanged(next, ApplyStatus.Applied, policy);
    }

    private static ApplyResult<T> Act<T>(T state, AnalystAction action, PolicyOptions policy, DecisionOrigin origin, Func<T, (int Level, string? Reverses, DateTimeOffset? Until)> change)
        where T : class, IEntityState<T>
    {
        var status = state.Applied.Check(action.ActionId, action.At);
        if (status != ApplyStatus.Applied) return EntityRunner.Unchanged(state, status, policy);

        var next = state.Clone();
        next.Applied.Record(action.ActionId, action.At);
        var from = next.Enforcement.Level;
        var (to, reverses, until) = change(next);
        var kind = T.Kind;
        var decision = new Decision(
            DecisionId: $"{kind.ToString().ToLowerInvariant()}/{next.EntityId}/{to}/{action.ActionId}",
            EntityKind: kind,
            EntityId: next.EntityId,
            From: Ladders.StepName(kind, from),
            To: Ladders.StepName(kind, to),
            FromLevel: from,
            ToLevel: to,
            Score: next.Enforcement.Score,
            Reasons: next.Enforcement.Reasons,
            TriggeringEventIds: reverses is null ? [action.ActionId] : [action.ActionId, reverses],
            PolicyVersion: policy.Version,
            At: action.At,
            Origin: origin,
            Analyst: action.Analyst,
            Note: action.Note,
            ExpiresAt: until);

        next.Enforcement.Level = to;
        next.Enforcement.AddHistory(new StepRecord(decision.DecisionId, from, to, origin, action.At,
            next.Enforcement.Reasons.Select(r => r.Code).ToList(), action.Analyst, reverses));
        if (next is SellerState seller && to > from) SellerRules.AddPenalties(seller, from, to, decision.DecisionId, action.At, policy);

        var assessment = new Assessment(kind, next.EntityId, next.Enforcement.Score, to, decision.To, next.Enforcement.Reasons, policy.Version, action.At);
        return new ApplyResult<T>(next, ApplyStatus.Applied, assessment, decision);
    }

    private static void Acknowledge(EnforcementState enforcement, IEnumerable<string> codes)
    {
        foreach (var code in codes)
        {
            if (!enforcement.Acknowledged.Contains(code)) enforcement.Acknowledged.Add(code);
        }
    }
}
