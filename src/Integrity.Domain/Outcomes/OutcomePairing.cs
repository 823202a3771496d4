namespace Integrity.Domain.Outcomes;

/// <summary>
/// One row of an entity's audit trail as the noisy-rules report reads it: a policy decision with the reason codes that
/// counted towards it, or an action (by an analyst, an appeal, …) with the ids it names.
/// </summary>
/// <param name="ActionKind">For an action: its kind (<c>analyst_confirm</c>, …, see <see cref="OutcomeLabels"/>); null for a decision.</param>
/// <param name="ReasonCodes">For a decision: the codes of its reasons that weighed in (weight above 0).</param>
/// <param name="References">For an action: the ids it names (a reversal names the decision it undoes).</param>
/// <param name="ReasonWeights">For a decision: the weight each of <paramref name="ReasonCodes"/> carried in it (empty when not read).</param>
public sealed record TrailEntry(
    string EntryId,
    bool IsDecision,
    string? ActionKind,
    DateTimeOffset RecordedAt,
    DateTimeOffset OccurredAt,
    string? PolicyVersion,
    IReadOnlyList<string> ReasonCodes,
    IReadOnlyList<string> References,
    IReadOnlyDictionary<string, double>? ReasonWeights = null);

/// <summary>
/// A labelled policy decision: the verdict an action gave it, with what the decision cited and the weight each reason
/// carried in it. <see cref="EntityKind"/> and <see cref="EntityId"/> name the entity when the reader knows it.
/// </summary>
public sealed record RuleVerdict(
    string DecisionId,
    string PolicyVersion,
    IReadOnlyList<string> ReasonCodes,
    string ActionId,
    string ActionKind,
    OutcomeLabel Label,
    DateTimeOffset At,
    IReadOnlyDictionary<string, double>? ReasonWeights = null)
{
    public string? EntityKind { get; init; }

    public string? EntityId { get; init; }

    /// <summary>Each decision once, by its latest verdict: an analyst who confirms and later reverses has changed their mind.</summary>
    public static List<RuleVerdict> Latest(IEnumerable<RuleVerdict> verdicts) =>
        [.. verdicts
            .GroupBy(v => v.DecisionId, StringComparer.Ordinal)
            .Select(g => g.OrderBy(v => v.At).ThenBy(v => v.ActionId, StringComparer.Ordinal).Last())];
}

/// <summary>The verdicts found among an entity's actions, and how many labelling actions had no policy decision to rule on.</summary>
public sealed record PairingResult(IReadOnlyList<RuleVerdict> Verdicts, int Unpaired);

/// <summary>
/// Pairs each labelling action with the policy decision it rules on. An action that names an entry of the trail rules
/// on that one (a reversal names the step it undoes): a decision is paired, anything else (an analyst's own override)
/// is no rule's doing and stays unpaired. Otherwise it rules on the entity's last decision recorded before it (a
/// confirmation agrees with the step the entity stands at). Order is by recording time, which is when the engine made
/// the decision or took the action, whatever the events' own times.
/// </summary>
public static class OutcomePairing
{
    public static PairingResult Pair(IReadOnlyList<TrailEntry> trail, IEnumerable<TrailEntry> actions)
    {
        ArgumentNullException.ThrowIfNull(trail);
        ArgumentNullException.ThrowIfNull(actions);
        var byId = new Dictionary<string, TrailEntry>(StringComparer.Ordinal);
        foreach (var entry in trail) byId.TryAdd(entry.EntryId, entry);
        var decisions = trail.Where(e => e.IsDecision).OrderBy(e => e.RecordedAt).ThenBy(e => e.OccurredAt).ToList();

        var verdicts = new List<RuleVerdict>();
        var unpaired = 0;
        foreach (var action in actions)
        {
            if (action.IsDecision || OutcomeLabels.Of(action.ActionKind) is not { } label) continue;

            var named = action.References.Where(r => r != action.EntryId).Select(r => byId.GetValueOrDefault(r)).FirstOrDefault(e => e is not null);
            var decision = named is not null
                ? named.IsDecision ? named : null
                : decisions.LastOrDefault(d => d.RecordedAt <= action.RecordedAt);
            if (decision is null)
            {
                unpaired++;
                continue;
            }

            verdicts.Add(new RuleVerdict(decision.EntryId, decision.PolicyVersion ?? "", decision.ReasonCodes, action.EntryId, action.ActionKind!, label, action.RecordedAt, decision.ReasonWeights));
        }

        return new PairingResult(verdicts, unpaired);
    }
}
