namespace Integrity.Domain.Outcomes;

/// <summary>How a rule's precision stands against the threshold, given how few verdicts may be behind it.</summary>
public enum PrecisionStatus
{
    /// <summary>Even the interval's upper bound is under the threshold: most of its decisions are undone, and that is no accident of few verdicts.</summary>
    Noisy,

    /// <summary>The interval straddles the threshold: too few verdicts to tell, or a rule on the edge.</summary>
    Watch,

    /// <summary>The interval's lower bound is at or above the threshold.</summary>
    Ok,
}

/// <summary>
/// The verdicts on decisions citing one reason code under one policy version (or, with <see cref="ReasonCode"/> null,
/// on all decisions of the policy version). <see cref="Precision"/> = confirmed / (confirmed + reversed), with its Wilson
/// interval [<see cref="Lower"/>, <see cref="Upper"/>]; <see cref="ByActionKind"/> counts the verdicts by what gave them.
/// </summary>
public sealed record PrecisionRow(
    string? ReasonCode,
    string PolicyVersion,
    int Labelled,
    int Confirmed,
    int Reversed,
    IReadOnlyDictionary<string, int> ByActionKind,
    double Precision,
    double Lower,
    double Upper,
    PrecisionStatus Status);

/// <summary>Per reason code and policy version, and per policy version overall; worst first (noisy, then watch, each by lower bound).</summary>
public sealed record ReasonPrecisionReport(int Decisions, int Confirmed, int Reversed, IReadOnlyList<PrecisionRow> Reasons, IReadOnlyList<PrecisionRow> Policies)
{
    /// <summary>
    /// Counts each decision once, by its latest verdict (an analyst who confirms and later reverses has changed their
    /// mind: the decision counts as reversed), under every reason code it cited and under its policy version.
    /// </summary>
    /// <param name="threshold">The precision a rule should reach, in (0, 1): under it, a row is <see cref="PrecisionStatus.Noisy"/> or <see cref="PrecisionStatus.Watch"/>.</param>
    public static ReasonPrecisionReport Build(IEnumerable<RuleVerdict> verdicts, double threshold, double z = WilsonInterval.Z95)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        if (!(threshold > 0 && threshold < 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold is a precision strictly between 0 and 1.");

        var latest = RuleVerdict.Latest(verdicts);

        var reasons = latest
            .SelectMany(v => v.ReasonCodes.Distinct(StringComparer.Ordinal).Select(code => (Key: (Code: (string?)code, v.PolicyVersion), Verdict: v)))
            .GroupBy(x => x.Key)
            .Select(g => Row(g.Key.Code, g.Key.PolicyVersion, [.. g.Select(x => x.Verdict)], threshold, z));
        var policies = latest
            .GroupBy(v => v.PolicyVersion, StringComparer.Ordinal)
            .Select(g => Row(null, g.Key, [.. g], threshold, z));

        return new ReasonPrecisionReport(
            latest.Count,
            latest.Count(v => v.Label == OutcomeLabel.Confirmed),
            latest.Count(v => v.Label == OutcomeLabel.Reversed),
            Ordered(reasons),
            Ordered(policies));
    }

    /// <summary>
    /// Worst first: noisy rows, then those to watch, then the rest; within each the lowest lower bound first (one reversal
    /// alone has a lower bound of 0 too, but only a rule reversed many times is noisy); then more verdicts first, then by name.
    /// </summary>
    private static List<PrecisionRow> Ordered(IEnumerable<PrecisionRow> rows) => rows
        .OrderBy(r => r.Status)
        .ThenBy(r => r.Lower)
        .ThenByDescending(r => r.Labelled)
        .ThenBy(r => r.ReasonCode, StringComparer.Ordinal)
        .ThenBy(r => r.PolicyVersion, StringComparer.Ordinal)
        .ToList();

    private static PrecisionRow Row(string? code, string policyVersion, IReadOnlyList<RuleVerdict> verdicts, double threshold, double z)
    {
        var confirmed = verdicts.Count(v => v.Label == OutcomeLabel.Confirmed);
        var labelled = verdicts.Count;
        var interval = WilsonInterval.Of(confirmed, labelled, z);
        var status = interval.Upper < threshold ? PrecisionStatus.Noisy : interval.Lower < threshold ? PrecisionStatus.Watch : PrecisionStatus.Ok;
        var byKind = verdicts.GroupBy(v => v.ActionKind, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new PrecisionRow(code, policyVersion, labelled, confirmed, labelled - confirmed, byKind, (double)confirmed / labelled, interval.Lower, interval.Upper, status);
    }
}
