namespace Integrity.Domain.Enforcement;

/// <summary>An analyst's pin on the ladder: automatic steps are suspended until <see cref="Until"/> (null = until changed).</summary>
public sealed record LadderOverride(int Level, DateTimeOffset? Until, string Analyst, string? Note, DateTimeOffset At);

/// <summary>One line of an entity's ladder history (kept in state for analysts; the full trail is the audit table).</summary>
public sealed record StepRecord(
    string DecisionId,
    int FromLevel,
    int ToLevel,
    DecisionOrigin Origin,
    DateTimeOffset At,
    IReadOnlyList<string> ReasonCodes,
    string? Analyst = null,
    string? Reverses = null);

/// <summary>
/// Where an entity stands on its ladder, shared by listing, reviewer and seller state.
/// The level only rises by itself; analysts move it down (reverse, reinstate) or pin it (override).
/// </summary>
public sealed class EnforcementState
{
    /// <summary>Bounded so state stays small; the audit table keeps everything.</summary>
    public const int MaxHistory = 50;

    public int Level { get; set; }

    public double Score { get; set; }

    /// <summary>Reasons behind <see cref="Score"/> at the last evaluation.</summary>
    public List<Reason> Reasons { get; set; } = [];

    public DateTimeOffset? AssessedAt { get; set; }

    public LadderOverride? Override { get; set; }

    /// <summary>
    /// Reason codes an analyst has ruled on (by reversing or reinstating): they stop counting until they go quiet and
    /// come back, so the same evidence does not immediately re-escalate a reinstated entity.
    /// </summary>
    public List<string> Acknowledged { get; set; } = [];

    public List<StepRecord> History { get; set; } = [];

    /// <summary>Appeals filed against this entity's steps, open and decided (bounded; the audit table keeps all).</summary>
    public List<AppealCase> Appeals { get; set; } = [];

    /// <summary>How many appeals state keeps; decided ones go first when full.</summary>
    public const int MaxAppeals = 20;

    public void AddHistory(StepRecord record)
    {
        History.Add(record);
        if (History.Count > MaxHistory) History.RemoveRange(0, History.Count - MaxHistory);
    }

    public EnforcementState Clone() => new()
    {
        Level = Level,
        Score = Score,
        Reasons = [.. Reasons],
        AssessedAt = AssessedAt,
        Override = Override,
        Acknowledged = [.. Acknowledged],
        History = [.. History],
        Appeals = [.. Appeals],
    };
}
