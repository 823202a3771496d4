namespace Integrity.Domain.Enforcement;

public enum AppealOutcome
{
    /// <summary>The contested step stands.</summary>
    Upheld,

    /// <summary>The contested step is undone: back to where it came from, its penalty points withdrawn.</summary>
    Reversed,

    /// <summary>Partly granted: the entity steps down, but not all the way.</summary>
    Partly,
}

/// <summary>
/// An appeal against one enforcement step, from its filing to its outcome. The contested step is copied in when the
/// appeal is filed (its id, levels and reason codes), so the case reads the same after the ladder moved on; the full
/// decision with its evidence stays in the audit trail under <see cref="DecisionId"/>.
/// </summary>
public sealed record AppealCase(
    string AppealId,
    string EventId,
    DateTimeOffset FiledAt,
    string Statement,
    IReadOnlyList<string> Attachments,
    string DecisionId,
    int FromLevel,
    int ToLevel,
    DateTimeOffset DecidedStepAt,
    IReadOnlyList<string> ReasonCodes,
    AppealOutcome? Outcome = null,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null,
    string? OutcomeDecisionId = null)
{
    public bool IsOpen => Outcome is null;
}
