using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Rules;

/// <summary>
/// Filing an appeal, as pure functions on state: it opens a case against one step-up (the one named, or the latest
/// still in force) and moves nothing, neither the ladder nor the clock. One appeal is open per entity at a time; the
/// outcome is an analyst's (<see cref="AnalystActions.DecideAppeal{T}"/>).
/// </summary>
public static class Appeals
{
    /// <summary>Rejection codes of an <c>appeal.filed</c> the entity cannot take.</summary>
    public const string NothingToContest = "APPEAL_NOTHING_TO_CONTEST";
    public const string UnknownDecision = "APPEAL_UNKNOWN_DECISION";
    public const string AlreadyOpen = "APPEAL_ALREADY_OPEN";
    public const string IdReused = "APPEAL_ID_REUSED";

    /// <summary>Why the entity cannot take this appeal, or null if it can (or it is a redelivery, which the apply reports).</summary>
    public static (string Code, string Reason)? Problem<T>(T state, AppealFiled appeal)
        where T : class, IEntityState<T>
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(appeal);
        if (state.Applied.Check(appeal.EventId, appeal.OccurredAt) != ApplyStatus.Applied) return null;

        var kind = T.Kind.ToString().ToLowerInvariant();
        var enforcement = state.Enforcement;
        if (enforcement.Appeals.FirstOrDefault(a => a.AppealId == appeal.AppealId) is { } same)
        {
            return (IdReused, $"appeal {appeal.AppealId} of {kind} {state.EntityId} was filed already by event {same.EventId}; a new appeal needs a new appealId");
        }

        if (enforcement.Appeals.FirstOrDefault(a => a.IsOpen) is { } open)
        {
            return (AlreadyOpen, $"{kind} {state.EntityId} has appeal {open.AppealId} open still; one appeal at a time, the next once an analyst has decided it");
        }

        if (Contested(enforcement, appeal.DecisionId) is null)
        {
            return appeal.DecisionId is { } id
                ? (UnknownDecision, $"{kind} {state.EntityId} has no step-up {id} in force to appeal (unknown, not a step up, or reversed already)")
                : (NothingToContest, $"{kind} {state.EntityId} has no step in force to appeal");
        }

        return null;
    }

    /// <summary>Opens the case. The result's <see cref="ApplyResult{TState}.Appeal"/> is the case, for the audit trail.</summary>
    /// <param name="owned">The caller owns <paramref name="state"/>: it is changed in place (see <see cref="EntityRunner.Apply{T}"/>).</param>
    /// <exception cref="InvalidOperationException">The entity cannot take the appeal (<see cref="Problem{T}"/> says why).</exception>
    public static ApplyResult<T> File<T>(T state, AppealFiled appeal, PolicyOptions policy, bool owned = false)
        where T : class, IEntityState<T>
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(appeal);
        var status = state.Applied.Check(appeal.EventId, appeal.OccurredAt);
        if (status != ApplyStatus.Applied) return EntityRunner.Unchanged(state, status, policy);
        if (Problem(state, appeal) is { } problem) throw new InvalidOperationException(problem.Reason);

        var step = Contested(state.Enforcement, appeal.DecisionId)!;
        var next = owned ? state : state.Clone();
        next.Applied.Record(appeal.EventId, appeal.OccurredAt);
        next.EventsApplied++;
        var opened = new AppealCase(appeal.AppealId, appeal.EventId, appeal.OccurredAt, appeal.Statement, [.. appeal.Attachments],
            step.DecisionId, step.FromLevel, step.ToLevel, step.At, [.. step.ReasonCodes]);
        var appeals = next.Enforcement.Appeals;
        if (appeals.Count >= EnforcementState.MaxAppeals && appeals.FindIndex(a => !a.IsOpen) is var oldest and >= 0) appeals.RemoveAt(oldest);
        appeals.Add(opened);
        return EntityRunner.Unchanged(next, ApplyStatus.Applied, policy) with { Appeal = opened };
    }

    /// <summary>
    /// The step an appeal contests: the step-up named (made by the policy or an analyst's override, not reversed since),
    /// or without a name the latest such step while the entity is above None.
    /// </summary>
    public static StepRecord? Contested(EnforcementState enforcement, string? decisionId)
    {
        ArgumentNullException.ThrowIfNull(enforcement);
        var reversed = enforcement.History.Select(h => h.Reverses).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var steps = enforcement.History.Where(h => h.ToLevel > h.FromLevel && h.Origin is DecisionOrigin.Automatic or DecisionOrigin.AnalystOverride
            && !reversed.Contains(h.DecisionId));
        return decisionId is null
            ? enforcement.Level > 0 ? steps.LastOrDefault() : null
            : steps.LastOrDefault(h => h.DecisionId == decisionId);
    }
}
