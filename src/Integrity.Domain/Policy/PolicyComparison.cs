namespace Integrity.Domain.Policy;

/// <summary>
/// One automatic step-up as a comparison of two policies sees it: which entity, to which level, citing which reason
/// codes (those that weighed in), at what event time, under which decision id.
/// </summary>
public sealed record ComparedDecision(string EntityKind, string EntityId, int ToLevel, string Step, IReadOnlyList<string> ReasonCodes, DateTimeOffset At, string DecisionId);

/// <summary>
/// One row of a breakdown (a reason code or an entity kind). <see cref="Active"/> and <see cref="Candidate"/>: decisions
/// of each policy under this key; <see cref="Both"/>: the active policy's decisions under it that the candidate made too;
/// <see cref="OnlyActive"/>, <see cref="OnlyCandidate"/>: decisions under it the other policy did not make;
/// <see cref="Difference"/>: candidate minus active.
/// </summary>
public sealed record ComparisonRow(string Key, int Active, int Candidate, int Both, int OnlyActive, int OnlyCandidate, int Difference);

/// <summary>
/// An entity to open: the step it reached (both policies, or only one of them), the decision ids on each side and the
/// reason codes cited (the candidate's where it decided, else the active policy's).
/// </summary>
public sealed record ComparisonExample(string EntityKind, string EntityId, int Level, string Step, DateTimeOffset At, string? ActiveDecisionId, string? CandidateDecisionId, IReadOnlyList<string> ReasonCodes);

/// <summary>
/// The comparison of two policies over the same events: totals, per entity kind, per reason code, and examples of each
/// kind of outcome (newest first).
/// </summary>
public sealed record PolicyComparisonReport(
    int Active,
    int Candidate,
    int Both,
    int OnlyActive,
    int OnlyCandidate,
    IReadOnlyList<ComparisonRow> ByEntityKind,
    IReadOnlyList<ComparisonRow> ByReason,
    IReadOnlyList<ComparisonExample> BothExamples,
    IReadOnlyList<ComparisonExample> OnlyActiveExamples,
    IReadOnlyList<ComparisonExample> OnlyCandidateExamples);

/// <summary>
/// Compares the decisions two policies made on the same events: the live shadow (the active policy's real decisions
/// against the candidate's recorded would-be ones) and the backtest (two replays of one history) both call this, so they
/// report alike. A decision of one policy and one of the other are the same decision when they take the same entity to
/// the same level; which event tipped it may differ (a lower threshold steps up earlier). An entity that reached a level
/// twice (stepped down by an analyst in between) pairs its decisions in time order.
/// </summary>
public static class PolicyComparison
{
    public const int DefaultExamples = 20;

    public static PolicyComparisonReport Compare(IEnumerable<ComparedDecision> active, IEnumerable<ComparedDecision> candidate, int maxExamples = DefaultExamples)
    {
        ArgumentNullException.ThrowIfNull(active);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentOutOfRangeException.ThrowIfNegative(maxExamples);

        var a = Grouped(active);
        var c = Grouped(candidate);
        var both = new List<(ComparedDecision Active, ComparedDecision Candidate)>();
        var onlyActive = new List<ComparedDecision>();
        var onlyCandidate = new List<ComparedDecision>();
        foreach (var key in a.Keys.Union(c.Keys))
        {
            var left = a.GetValueOrDefault(key) ?? [];
            var right = c.GetValueOrDefault(key) ?? [];
            var paired = Math.Min(left.Count, right.Count);
            for (var i = 0; i < paired; i++) both.Add((left[i], right[i]));
            onlyActive.AddRange(left.Skip(paired));
            onlyCandidate.AddRange(right.Skip(paired));
        }

        var matchedActive = both.Select(p => p.Active).ToList();
        var activeAll = a.Values.SelectMany(d => d).ToList();
        var candidateAll = c.Values.SelectMany(d => d).ToList();
        return new PolicyComparisonReport(
            activeAll.Count,
            candidateAll.Count,
            both.Count,
            onlyActive.Count,
            onlyCandidate.Count,
            Rows(activeAll, candidateAll, matchedActive, onlyActive, onlyCandidate, d => [d.EntityKind]),
            Rows(activeAll, candidateAll, matchedActive, onlyActive, onlyCandidate, d => d.ReasonCodes),
            [.. Newest(both.Select(p => Example(p.Active, p.Active.DecisionId, p.Candidate.DecisionId, p.Candidate.ReasonCodes)), maxExamples)],
            [.. Newest(onlyActive.Select(d => Example(d, d.DecisionId, null, d.ReasonCodes)), maxExamples)],
            [.. Newest(onlyCandidate.Select(d => Example(d, null, d.DecisionId, d.ReasonCodes)), maxExamples)]);
    }

    /// <summary>Per (kind, entity, level), in time order (ties by id, so the pairing does not depend on input order).</summary>
    private static Dictionary<(string Kind, string Id, int Level), List<ComparedDecision>> Grouped(IEnumerable<ComparedDecision> decisions) =>
        decisions
            .DistinctBy(d => (d.EntityKind, d.DecisionId))
            .GroupBy(d => (d.EntityKind, d.EntityId, d.ToLevel))
            .ToDictionary(g => g.Key, g => g.OrderBy(d => d.At).ThenBy(d => d.DecisionId, StringComparer.Ordinal).ToList());

    private static List<ComparisonRow> Rows(
        List<ComparedDecision> active, List<ComparedDecision> candidate, List<ComparedDecision> matchedActive,
        List<ComparedDecision> onlyActive, List<ComparedDecision> onlyCandidate, Func<ComparedDecision, IEnumerable<string>> keys)
    {
        var counts = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        Count(active, 0);
        Count(candidate, 1);
        Count(matchedActive, 2);
        Count(onlyActive, 3);
        Count(onlyCandidate, 4);
        return [.. counts
            .Select(kv => new ComparisonRow(kv.Key, kv.Value[0], kv.Value[1], kv.Value[2], kv.Value[3], kv.Value[4], kv.Value[1] - kv.Value[0]))
            .OrderByDescending(r => Math.Abs(r.Difference))
            .ThenBy(r => r.Key, StringComparer.Ordinal)];

        void Count(List<ComparedDecision> decisions, int column)
        {
            foreach (var key in decisions.SelectMany(d => keys(d).Distinct(StringComparer.Ordinal)))
            {
                if (!counts.TryGetValue(key, out var row)) counts[key] = row = new int[5];
                row[column]++;
            }
        }
    }

    private static ComparisonExample Example(ComparedDecision d, string? activeId, string? candidateId, IReadOnlyList<string> codes) =>
        new(d.EntityKind, d.EntityId, d.ToLevel, d.Step, d.At, activeId, candidateId, codes);

    private static IEnumerable<ComparisonExample> Newest(IEnumerable<ComparisonExample> examples, int max) =>
        examples.OrderByDescending(e => e.At).ThenBy(e => e.EntityKind, StringComparer.Ordinal).ThenBy(e => e.EntityId, StringComparer.Ordinal).Take(max);
}

/// <summary>How a domain decision enters a comparison.</summary>
public static class ComparedDecisions
{
    /// <summary>The decision's step-up, citing the reason codes that weighed in (weight above 0).</summary>
    public static ComparedDecision From(Enforcement.Decision d) => new(
        d.EntityKind.ToString().ToLowerInvariant(),
        d.EntityId,
        d.ToLevel,
        d.To,
        [.. d.Reasons.Where(r => r.Weight > 0).Select(r => r.Code).Distinct(StringComparer.Ordinal)],
        d.At,
        d.DecisionId);
}
