using Integrity.Domain.Enforcement;
using Integrity.Domain.State;

namespace Integrity.Domain.Rules;

/// <summary>
/// The outcome of applying an event (or an observation) to an entity: the new state (the same instance when nothing
/// changed), whether it applied, the assessment, and the decision when the ladder moved.
/// </summary>
public sealed record ApplyResult<TState>(TState State, ApplyStatus Status, Assessment Assessment, Decision? Decision)
{
    public bool Changed => Status == ApplyStatus.Applied;
}
