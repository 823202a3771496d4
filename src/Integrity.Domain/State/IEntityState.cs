using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;

namespace Integrity.Domain.State;

/// <summary>What listing, reviewer and seller state share, so ladder and analyst logic is written once.</summary>
public interface IEntityState<TSelf>
    where TSelf : IEntityState<TSelf>
{
    static abstract EntityKind Kind { get; }

    string EntityId { get; }

    /// <summary>The entity's clock: the latest event time it has seen. Windows end here.</summary>
    DateTimeOffset? Clock { get; set; }

    /// <summary>Settable so a candidate policy can be assessed on the same facts with its own ladder (<see cref="Rules.EntityRunner.Shadow{T}"/>).</summary>
    EnforcementState Enforcement { get; set; }

    AppliedEventLog Applied { get; }

    /// <summary>How many distinct events this entity has applied (a duplicate or a rejected event does not count).</summary>
    long EventsApplied { get; set; }

    /// <summary>A deep copy: apply functions work on a copy so a failed apply leaves the caller's state untouched.</summary>
    TSelf Clone();
}
