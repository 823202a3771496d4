using Integrity.Domain.Events;

namespace Integrity.Domain.Enforcement;

/// <summary>The values of an <see cref="Assessment"/>, kept without building it (see <see cref="Rules.ApplyResult{TState}"/>).</summary>
internal readonly record struct AssessedValues(
    EntityKind EntityKind,
    string EntityId,
    double Score,
    int Level,
    string Step,
    IReadOnlyList<Reason> Reasons,
    string PolicyVersion,
    DateTimeOffset At)
{
    public static AssessedValues Of(Assessment a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.EntityKind, a.EntityId, a.Score, a.Level, a.Step, a.Reasons, a.PolicyVersion, a.At);
    }

    /// <summary>What an entity's ladder holds now: its score, level and reasons.</summary>
    public static AssessedValues Of(EnforcementState enforcement, EntityKind kind, string entityId, string policyVersion, DateTimeOffset at) =>
        new(kind, entityId, enforcement.Score, enforcement.Level, Ladders.StepName(kind, enforcement.Level), enforcement.Reasons, policyVersion, at);

    public Assessment ToAssessment() => new(EntityKind, EntityId, Score, Level, Step, Reasons, PolicyVersion, At);
}
