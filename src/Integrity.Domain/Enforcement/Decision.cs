using Integrity.Domain.Events;

namespace Integrity.Domain.Enforcement;

public enum DecisionOrigin
{
    /// <summary>The policy ladder stepped up because of the score or a floor rule.</summary>
    Automatic,
    AnalystConfirm,
    AnalystReverse,
    AnalystReinstate,
    AnalystOverride,

    /// <summary>An analyst decided an appeal: the step stands.</summary>
    AppealUpheld,

    /// <summary>An analyst decided an appeal: the contested step is undone.</summary>
    AppealReversed,

    /// <summary>An analyst decided an appeal: partly granted, a step down.</summary>
    AppealPartly,
}

/// <summary>
/// One enforcement step, as audited and published. <see cref="DecisionId"/> is deterministic (entity, level,
/// triggering event) so a replay after a crash produces the same id and the audit can drop the duplicate.
/// <see cref="At"/> is event time: the entity's clock (latest event time seen) or the analyst action's time.
/// <see cref="AppealId"/> names the appeal an analyst decided with this step (appeal origins only).
/// </summary>
public sealed record Decision(
    string DecisionId,
    EntityKind EntityKind,
    string EntityId,
    string From,
    string To,
    int FromLevel,
    int ToLevel,
    double Score,
    IReadOnlyList<Reason> Reasons,
    IReadOnlyList<string> TriggeringEventIds,
    string PolicyVersion,
    DateTimeOffset At,
    DecisionOrigin Origin = DecisionOrigin.Automatic,
    string? Analyst = null,
    string? Note = null,
    DateTimeOffset? ExpiresAt = null,
    string? AppealId = null)
{
    public bool IsStepUp => ToLevel > FromLevel;
}
