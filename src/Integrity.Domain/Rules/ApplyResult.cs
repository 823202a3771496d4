using Integrity.Domain.Enforcement;
using Integrity.Domain.State;

namespace Integrity.Domain.Rules;

/// <summary>
/// The outcome of applying an event (or an observation) to an entity: the new state (the same instance when nothing
/// changed), whether it applied, the assessment, the decision when the ladder moved, and the appeal case an
/// <c>appeal.filed</c> opened (for the audit trail).
/// </summary>
public sealed record ApplyResult<TState>(TState State, ApplyStatus Status, Assessment Assessment, Decision? Decision, AppealCase? Appeal = null)
{
    public bool Changed => Status == ApplyStatus.Applied;
}
