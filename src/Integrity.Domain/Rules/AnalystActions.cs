using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
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
    /// An analyst's outcome of an open appeal, audited like any action and naming the appeal. Upheld: nothing moves.
    /// Reversed: the contested step is undone as <see cref="Reverse{T}"/> undoes one (its reasons acknowledged, its
    /// penalty points withdrawn). Partly: down to <paramref name="level"/> (default one step down), the contested
    /// reasons acknowledged and the seller's penalty points counted for the lower step only. The contested decision's id
    /// is the last of the outcome's triggering event ids.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such appeal, or it was decided already.</exception>
    /// <exception cref="ArgumentException">A partial outcome that is not a step down.</exception>
    public static ApplyResult<T> DecideAppeal<T>(T state, string appealId, AppealOutcome outcome, int? level, AnalystAction action, PolicyOptions policy)
        where T : class, IEntityState<T>
    {
        var origin = outcome switch
        {
            AppealOutcome.Upheld => DecisionOrigin.AppealUpheld,
            AppealOutcome.Reversed => DecisionOrigin.AppealReversed,
            _ => DecisionOrigin.AppealPartly,
        };
        if (level is not null && outcome != AppealOutcome.Partly) throw new ArgumentException("Only a partial outcome takes a level.", nameof(level));

        // Every outcome names the contested decision last among its triggering ids (a reversal as the step it undoes), so
        // a verdict is paired with the decision it rules on, not with whichever came last.
        var contested = state.Enforcement.Appeals.FirstOrDefault(a => a.AppealId == appealId)?.DecisionId;
        return Act(state, action, policy, origin, next =>
        {
            var enforcement = next.Enforcement;
            var index = enforcement.Appeals.FindIndex(a => a.AppealId == appealId);
            if (index < 0) throw new InvalidOperationException($"{T.Kind} {next.EntityId} has no appeal {appealId}.");
            var appeal = enforcement.Appeals[index];
            if (appeal.Outcome is { } decided) throw new InvalidOperationException($"Appeal {appealId} was decided already: {decided.ToString().ToLowerInvariant()} by {appeal.DecidedBy}.");

            var current = enforcement.Level;
            var to = current;
            string? reverses = null;
            if (outcome == AppealOutcome.Partly)
            {
                to = level ?? current - 1;
                if (current == 0 || to < 0 || to >= current)
                {
                    throw new ArgumentException($"A partial outcome steps {T.Kind} {next.EntityId} down from level {current}: the level must be 0 to {current - 1}"
                        + (current == 0 ? "; it is at None already, so uphold or reverse" : "") + ".", nameof(level));
                }
            }

            if (outcome != AppealOutcome.Upheld)
            {
                Acknowledge(enforcement, appeal.ReasonCodes);
                enforcement.Override = null;
                if (outcome == AppealOutcome.Reversed)
                {
                    to = Math.Min(appeal.FromLevel, current);
                    reverses = appeal.DecisionId;
                }

                if (next is SellerState seller)
                {
                    seller.Credit.Penalties.RemoveAll(p => p.DecisionId == appeal.DecisionId);
                    if (appeal.FromLevel == 0) seller.Credit.Offenses = Math.Max(0, seller.Credit.Offenses - 1);
                    if (outcome == AppealOutcome.Partly && to > appeal.FromLevel)
                    {
                        SellerRules.AddPenalties(seller, appeal.FromLevel, to, DecisionIdOf(T.Kind, next.EntityId, to, action.ActionId), action.At, policy);
                    }
                }
            }

            enforcement.Appeals[index] = appeal with
            {
                Outcome = outcome,
                DecidedBy = action.Analyst,
                DecidedAt = action.At,
                OutcomeDecisionId = DecisionIdOf(T.Kind, next.EntityId, to, action.ActionId),
            };
            return (to, reverses, null);
        }, appealId, contested);
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

    private static ApplyResult<T> Act<T>(
        T state, AnalystAction action, PolicyOptions policy, DecisionOrigin origin, Func<T, (int Level, string? Reverses, DateTimeOffset? Until)> change,
        string? appealId = null, string? contests = null)
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
            DecisionId: DecisionIdOf(kind, next.EntityId, to, action.ActionId),
            EntityKind: kind,
            EntityId: next.EntityId,
            From: Ladders.StepName(kind, from),
            To: Ladders.StepName(kind, to),
            FromLevel: from,
            ToLevel: to,
            Score: next.Enforcement.Score,
            Reasons: next.Enforcement.Reasons,
            TriggeringEventIds: (reverses ?? contests) is { } ruledOn ? [action.ActionId, ruledOn] : [action.ActionId],
            PolicyVersion: policy.Version,
            At: action.At,
            Origin: origin,
            Analyst: action.Analyst,
            Note: action.Note,
            ExpiresAt: until,
            AppealId: appealId);

        next.Enforcement.Level = to;
        next.Enforcement.AddHistory(new StepRecord(decision.DecisionId, from, to, origin, action.At,
            next.Enforcement.Reasons.Select(r => r.Code).ToList(), action.Analyst, reverses));
        if (next is SellerState seller && to > from) SellerRules.AddPenalties(seller, from, to, decision.DecisionId, action.At, policy);

        var assessment = new Assessment(kind, next.EntityId, next.Enforcement.Score, to, decision.To, next.Enforcement.Reasons, policy.Version, action.At);
        return new ApplyResult<T>(next, ApplyStatus.Applied, assessment, decision);
    }

    private static string DecisionIdOf(EntityKind kind, string entityId, int level, string actionId) =>
        $"{kind.ToString().ToLowerInvariant()}/{entityId}/{level}/{actionId}";

    private static void Acknowledge(EnforcementState enforcement, IEnumerable<string> codes)
    {
        foreach (var code in codes)
        {
            if (!enforcement.Acknowledged.Contains(code)) enforcement.Acknowledged.Add(code);
        }
    }
}
