using System.Text.Json;
using Integrity.Domain.Enforcement;

namespace Integrity.Domain.Outcomes;

/// <summary>What an analyst's (or an appeal's) verdict says of the policy decision it rules on.</summary>
public enum OutcomeLabel
{
    /// <summary>The decision stands: the rule was right.</summary>
    Confirmed,

    /// <summary>The decision was undone: the rule was wrong about this entity.</summary>
    Reversed,
}

/// <summary>
/// Which audited actions are labels, and which label. An action's kind is its audit row's <c>origin</c> (the snake_case
/// name of its <see cref="DecisionOrigin"/>, as audited), or the row's own kind when it has no origin. Kinds not listed
/// are no label: an override pins a level for reasons of its own (it may go up or down), a note rules on nothing.
/// <para>
/// Appeals: an appeal's outcome counts once its audit rows carry the kinds below (<c>appeal_upheld</c> as a confirmation,
/// <c>appeal_reversed</c> as a reversal); a partial outcome (a step down) is no label until someone decides what it says.
/// An outcome that names the contested decision's id among its <c>triggeringEventIds</c> (as a reversal names the step it
/// undoes) is paired with that decision; otherwise with the entity's last decision before it (<see cref="OutcomePairing"/>).
/// </para>
/// </summary>
public static class OutcomeLabels
{
    public const string AppealUpheld = "appeal_upheld";
    public const string AppealReversed = "appeal_reversed";

    /// <summary>Action kind → label. Reinstating lifts the enforcement altogether: the decision did not stand.</summary>
    public static IReadOnlyDictionary<string, OutcomeLabel> ByActionKind { get; } = new Dictionary<string, OutcomeLabel>(StringComparer.Ordinal)
    {
        [KindOf(DecisionOrigin.AnalystConfirm)] = OutcomeLabel.Confirmed,
        [KindOf(DecisionOrigin.AnalystReverse)] = OutcomeLabel.Reversed,
        [KindOf(DecisionOrigin.AnalystReinstate)] = OutcomeLabel.Reversed,
        [AppealUpheld] = OutcomeLabel.Confirmed,
        [AppealReversed] = OutcomeLabel.Reversed,
    };

    /// <summary>The label an action of this kind gives the decision it rules on, or null when it gives none.</summary>
    public static OutcomeLabel? Of(string? actionKind) =>
        actionKind is not null && ByActionKind.TryGetValue(actionKind, out var label) ? label : null;

    /// <summary>The kind an origin is audited as (<c>analyst_confirm</c>, …): the domain's JSON spelling of the enum.</summary>
    public static string KindOf(DecisionOrigin origin) => JsonNamingPolicy.SnakeCaseLower.ConvertName(origin.ToString());
}
