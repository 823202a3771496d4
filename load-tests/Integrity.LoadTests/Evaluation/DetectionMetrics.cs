using Integrity.Harness.Market;

namespace Integrity.LoadTests.Evaluation;

/// <summary>
/// How decisions are read as detections. An entity counts as acted on when an automatic step-up reached
/// <see cref="MinimumLevel"/> (1 = the first rung: flagged, down-weighted, warning). Reason codes attribute an action
/// to patterns, for per-pattern precision; the default map follows the engine's reason codes.
/// </summary>
public sealed record DetectionOptions
{
    public int MinimumLevel { get; init; } = 1;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> PatternReasons { get; init; } = DefaultPatternReasons;

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> DefaultPatternReasons { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        [FraudPatterns.PaidReviewRing] = ["REVIEW_BURST", "RATING_SHIFT", "SUSPICIOUS_REVIEWERS", "DUPLICATE_REVIEW_TEXT", "LOCKSTEP", "REVIEW_THEN_REFUND", "NEAR_DUPLICATE_TEXT", "NEW_ACCOUNT", "REVIEW_VELOCITY", "SELLER_CONCENTRATION", "REVIEW_MANIPULATION"],
        [FraudPatterns.Brushing] = ["BRUSHING", "SELF_LINKED_ORDERS"],
        [FraudPatterns.LinkedStoreNetwork] = ["LINKED_NETWORK", "LINKED_TO_CLOSED", "ONBOARDING_VELOCITY"],
        [FraudPatterns.CounterfeitListing] = ["COUNTERFEIT", "UNAUTHORIZED_BRAND_USE", "BRAND_REPORTS", "COUNTERFEIT_REPORTS"],
        [FraudPatterns.ProhibitedClaims] = ["PROHIBITED_CLAIM", "EXAGGERATED_CLAIM"],
        [FraudPatterns.PriceDumping] = ["PRICE_DUMPING"],
        [FraudPatterns.ComplaintSpike] = ["COMPLAINT_RATE", "SELLER_COMPLAINT_RATE"],
        [FraudPatterns.DefamationBurst] = ["REVIEW_VELOCITY", "UNVERIFIED_SHARE", "EXTREME_RATINGS", "LOCKSTEP", "NEAR_DUPLICATE_TEXT", "NEW_ACCOUNT", "SELLER_CONCENTRATION"],
        [FraudPatterns.RepeatOffender] = ["CREDIT_RECORD", "LISTINGS_ENFORCED", "PROHIBITED_CLAIM", "COUNTERFEIT"],
    };
}

/// <summary>Percentiles of time-to-detect in event time (seconds), over the detected culprits of a pattern.</summary>
public sealed record TimeToDetect(int Count, double MedianSeconds, double P90Seconds, double MaxSeconds)
{
    public static TimeToDetect? Of(IReadOnlyList<TimeSpan> values)
    {
        if (values.Count == 0) return null;
        var sorted = values.Select(v => v.TotalSeconds).Order().ToArray();
        return new TimeToDetect(sorted.Length, Percentile(sorted, 0.5), Percentile(sorted, 0.9), sorted[^1]);
    }

    /// <summary>Nearest-rank percentile: a value that occurred, never an interpolation between two.</summary>
    public static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>One pattern's figures. Precision is null when no action was attributed to the pattern.</summary>
public sealed record PatternDetection(
    string Pattern,
    int Culprits,
    int Detected,
    double? Recall,
    int AttributedActions,
    int AttributedCorrect,
    double? Precision,
    TimeToDetect? TimeToDetect,
    IReadOnlyList<string> Missed);

/// <summary>A decision on an entity that did nothing wrong.</summary>
public sealed record FalsePositive(EntityKind Kind, string Id, string HighestStep, int HighestLevel, bool IsProtectedVictim, IReadOnlyList<string> ReasonCodes);

public sealed record DetectionReport(
    int MinimumLevel,
    int EntitiesActedOn,
    int FraudulentActedOn,
    double? Precision,
    int Culprits,
    int CulpritsDetected,
    double? Recall,
    IReadOnlyList<PatternDetection> Patterns,
    IReadOnlyList<FalsePositive> FalsePositives,
    IReadOnlyDictionary<string, int> FalsePositivesPerKind,
    IReadOnlyDictionary<string, double> FalsePositiveRatePerKind,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> DecisionsPerKind);

/// <summary>Precision, recall, time-to-detect per pattern, and false positives, from ground truth and decisions.</summary>
public static class DetectionMetrics
{
    /// <param name="population">Every entity the run sent events for (for false-positive rates per kind); may be empty.</param>
    public static DetectionReport Compute(GroundTruth truth, IEnumerable<DecisionInfo> decisions, IReadOnlyCollection<EntityKey> population, DetectionOptions options)
    {
        var all = decisions.ToList();
        var actions = all.Where(d => d.Origin == DecisionInfo.Automatic && d.IsStepUp && d.Level >= options.MinimumLevel).ToList();
        var firstAction = actions.GroupBy(d => d.Entity).ToDictionary(g => g.Key, g => g.Min(d => d.At));
        var fraudulent = truth.Fraudulent();
        var victims = truth.ProtectedEntities();

        var patterns = new List<PatternDetection>();
        foreach (var pattern in FraudPatterns.All)
        {
            var culprits = truth.Entries.Where(e => e.Pattern == pattern && e.Role == GroundTruthRole.Culprit)
                .GroupBy(e => e.Key).Select(g => g.MinBy(e => e.FirstFraudAt)!).ToList();
            var detected = culprits.Where(c => firstAction.ContainsKey(c.Key)).ToList();

            // Time to detect: from the first fraudulent event to the first action, in event time; an action taken
            // earlier (for another reason) detects at once.
            var ttd = detected.Select(c => Max(TimeSpan.Zero, firstAction[c.Key] - c.FirstFraudAt)).ToList();

            var codes = options.PatternReasons.GetValueOrDefault(pattern) ?? [];
            var attributed = actions.Where(a => a.ReasonCodes.Any(codes.Contains)).Select(a => a.Entity).ToHashSet();
            var correct = attributed.Count(fraudulent.Contains);
            patterns.Add(new PatternDetection(
                pattern, culprits.Count, detected.Count, Ratio(detected.Count, culprits.Count), attributed.Count, correct, Ratio(correct, attributed.Count),
                TimeToDetect.Of(ttd), culprits.Where(c => !firstAction.ContainsKey(c.Key)).Select(c => c.Key.ToString()).ToList()));
        }

        var falsePositives = firstAction.Keys.Where(e => !fraudulent.Contains(e))
            .Select(e =>
            {
                var mine = actions.Where(a => a.Entity == e).ToList();
                var top = mine.MaxBy(a => a.Level)!;
                return new FalsePositive(e.Kind, e.Id, top.Step, top.Level, victims.Contains(e), mine.SelectMany(a => a.ReasonCodes).Distinct().Order().ToList());
            })
            .OrderBy(f => f.Kind).ThenBy(f => f.Id, StringComparer.Ordinal).ToList();

        var honestPerKind = population.Where(e => !fraudulent.Contains(e)).GroupBy(e => e.Kind).ToDictionary(g => g.Key.ToString(), g => g.Count());
        var fpPerKind = falsePositives.GroupBy(f => f.Kind.ToString()).ToDictionary(g => g.Key, g => g.Count());
        var fpRate = honestPerKind.ToDictionary(p => p.Key, p => Math.Round((double)fpPerKind.GetValueOrDefault(p.Key) / p.Value, 6));

        var allCulprits = truth.Entries.Where(e => e.Role == GroundTruthRole.Culprit).Select(e => e.Key).ToHashSet();
        var culpritsDetected = allCulprits.Count(firstAction.ContainsKey);
        var fraudulentActedOn = firstAction.Keys.Count(fraudulent.Contains);
        var perKind = all.GroupBy(d => d.Kind.ToString()).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g.GroupBy(d => d.Step).OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Count()));

        return new DetectionReport(options.MinimumLevel, firstAction.Count, fraudulentActedOn, Ratio(fraudulentActedOn, firstAction.Count),
            allCulprits.Count, culpritsDetected, Ratio(culpritsDetected, allCulprits.Count), patterns, falsePositives, fpPerKind, fpRate, perKind);
    }

    private static double? Ratio(int numerator, int denominator) => denominator == 0 ? null : Math.Round((double)numerator / denominator, 4);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
