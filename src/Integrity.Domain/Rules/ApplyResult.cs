using Integrity.Domain.Enforcement;
using Integrity.Domain.State;

namespace Integrity.Domain.Rules;

/// <summary>
/// The outcome of applying an event (or an observation) to an entity: the new state (the same instance when nothing
/// changed), whether it applied, the assessment, the decision when the ladder moved, and the appeal case an
/// <c>appeal.filed</c> opened (for the audit trail).
/// </summary>
/// <remarks>
/// A value, and its <see cref="Assessment"/> is built only when read (from the values the evaluation left): the replay
/// makes several of these per event and reads none of their assessments, so neither is an object on the heap.
/// </remarks>
public readonly record struct ApplyResult<TState>
{
    private readonly AssessedValues _assessed;

    public ApplyResult(TState state, ApplyStatus status, Assessment assessment, Decision? decision, AppealCase? appeal = null)
        : this(state, status, AssessedValues.Of(assessment), decision, appeal)
    {
    }

    internal ApplyResult(TState state, ApplyStatus status, AssessedValues assessed, Decision? decision, AppealCase? appeal = null)
    {
        State = state;
        Status = status;
        _assessed = assessed;
        Decision = decision;
        Appeal = appeal;
    }

    public TState State { get; init; }

    public ApplyStatus Status { get; init; }

    /// <summary>The entity's assessment after the apply (a new, equal object on each read).</summary>
    public Assessment Assessment => _assessed.ToAssessment();

    public Decision? Decision { get; init; }

    public AppealCase? Appeal { get; init; }

    public bool Changed => Status == ApplyStatus.Applied;
}
