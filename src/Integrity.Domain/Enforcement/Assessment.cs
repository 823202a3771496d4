using Integrity.Domain.Events;

namespace Integrity.Domain.Enforcement;

/// <summary>An entity's current risk: score 0..100, its ladder step, and every active reason.</summary>
public sealed record Assessment(
    EntityKind EntityKind,
    string EntityId,
    double Score,
    int Level,
    string Step,
    IReadOnlyList<Reason> Reasons,
    string PolicyVersion,
    DateTimeOffset At);
