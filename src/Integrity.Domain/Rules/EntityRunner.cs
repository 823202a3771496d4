using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Rules;

/// <summary>
/// Signals evaluated for an entity, plus what the ladder must add (seller credit record, floor rules). <see cref="Reasons"/>
/// is a new list that the ladder keeps as the entity's reasons: nobody else holds or changes it.
/// </summary>
internal readonly record struct Evaluation(List<Reason> Reasons, double ScoreBoost = 0, int FloorLevel = 0);

/// <summary>
/// The shared apply pipeline: dedupe by event id → copy → record the facts → move the clock → evaluate → ladder.
/// Copy first so a failure part-way leaves the caller's state as it was, unless the caller owns the state (see
/// <see cref="Apply{T}"/>): copying a seller's 1,000 remembered event ids and 500 orders for every event was most of
/// what the engine allocated.
/// </summary>
internal static class EntityRunner
{
    /// <param name="owned">
    /// The caller holds the only reference to <paramref name="state"/> and takes the result's state (then the same
    /// object) in its place: it is changed in place instead of copied. After an exception it is part-way changed and
    /// must be discarded for a copy the caller kept.
    /// </param>
    public static ApplyResult<T> Apply<T>(T state, IntegrityEvent e, PolicyOptions policy, Action<T> record, Func<T, DateTimeOffset, PolicyOptions, Evaluation> evaluate, bool owned = false)
        where T : class, IEntityState<T>
    {
        var status = state.Applied.Check(e.EventId, e.OccurredAt);
        if (status != ApplyStatus.Applied) return Unchanged(state, status, policy);

        var next = owned ? state : state.Clone();
        next.Applied.RecordNew(e.EventId, e.OccurredAt);
        next.EventsApplied++;
        next.Clock = BoundedLists.Later(next.Clock, e.OccurredAt);
        record(next);
        return Assess(next, e.EventId, next.Clock!.Value, policy, evaluate);
    }

    /// <summary>Applies a fact that is not an event (a notification between entities). It changes state only if <paramref name="record"/> says so.</summary>
    /// <param name="owned">
    /// As for <see cref="Apply{T}"/>: the state is changed in place. <paramref name="record"/> must then leave the state
    /// untouched when it returns false (every observer checks before it writes).
    /// </param>
    public static ApplyResult<T> Observe<T>(T state, DateTimeOffset at, TriggeringId triggeringId, PolicyOptions policy, Func<T, bool> record, Func<T, DateTimeOffset, PolicyOptions, Evaluation> evaluate, bool owned = false)
        where T : class, IEntityState<T>
    {
        var next = owned ? state : state.Clone();
        if (!record(next)) return Unchanged(state, ApplyStatus.Duplicate, policy);
        next.Clock = BoundedLists.Later(next.Clock, at);
        return Assess(next, triggeringId, next.Clock!.Value, policy, evaluate);
    }

    public static ApplyResult<T> Assess<T>(T next, TriggeringId triggeringId, DateTimeOffset now, PolicyOptions policy, Func<T, DateTimeOffset, PolicyOptions, Evaluation> evaluate)
        where T : class, IEntityState<T>
    {
        var evaluation = evaluate(next, now, policy);
        var outcome = LadderEngine.Evaluate(next.Enforcement, T.Kind, next.EntityId, evaluation.Reasons, triggeringId, now, policy, evaluation.ScoreBoost, evaluation.FloorLevel, reasonsOwned: true);
        return new ApplyResult<T>(next, ApplyStatus.Applied, outcome.Assessment, outcome.Decision);
    }

    /// <summary>
    /// The candidate policy's would-be decision on the facts <paramref name="state"/> holds now, on the candidate's own
    /// ladder <paramref name="shadow"/> (changed in place): the same evaluation and ladder as the real one, with the
    /// shadow ladder in place of the entity's for the evaluation's length, so signals that read the ladder (acknowledged
    /// codes, the seller's offense in progress) read the candidate's. Nothing else of the state changes.
    /// </summary>
    public static Decision? Shadow<T>(T state, EnforcementState shadow, string triggeringId, DateTimeOffset now, PolicyOptions candidate, Func<T, DateTimeOffset, PolicyOptions, Evaluation> evaluate)
        where T : class, IEntityState<T>
    {
        var real = state.Enforcement;
        state.Enforcement = shadow;
        try
        {
            var evaluation = evaluate(state, now, candidate);
            return LadderEngine.Evaluate(shadow, T.Kind, state.EntityId, evaluation.Reasons, triggeringId, now, candidate, evaluation.ScoreBoost, evaluation.FloorLevel, reasonsOwned: true).Decision;
        }
        finally
        {
            state.Enforcement = real;
        }
    }

    public static ApplyResult<T> Unchanged<T>(T state, ApplyStatus status, PolicyOptions policy)
        where T : class, IEntityState<T> =>
        new(state, status, AssessedValues.Of(state.Enforcement, T.Kind, state.EntityId, policy.Version, state.Enforcement.AssessedAt ?? state.Clock ?? default), null);
}
