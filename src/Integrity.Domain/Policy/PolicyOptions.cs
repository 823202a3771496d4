namespace Integrity.Domain.Policy;

/// <summary>
/// Weights, thresholds and ladders: the whole policy, bound from configuration (property names are configuration
/// keys, e.g. <c>Signals:REVIEW_BURST:Weight</c>) and checked by <see cref="Validate"/> at start and on reload.
/// Every decision records <see cref="Version"/>.
/// </summary>
public sealed class PolicyOptions
{
    public string Version { get; set; } = "default-2026.11";

    public Dictionary<string, SignalRule> Signals { get; set; } = DefaultSignalRules.Create();

    public ListingLadderOptions Listing { get; set; } = new();

    public ReviewerLadderOptions Reviewer { get; set; } = new();

    public SellerLadderOptions Seller { get; set; } = new();

    public CreditOptions Credit { get; set; } = new();

    public TextOptions Text { get; set; } = new();

    public ReviewRiskOptions ReviewRisk { get; set; } = new();

    public static PolicyOptions Default { get; } = new();

    public SignalRule Rule(string code) =>
        Signals.TryGetValue(code, out var rule) ? rule : throw new InvalidOperationException($"Policy {Version} has no rule for {code}; call Validate() at start.");

    /// <summary>This policy with other signal rules (same version, ladders and options): the coverage gate's copy.</summary>
    internal PolicyOptions WithSignals(Dictionary<string, SignalRule> signals)
    {
        var copy = (PolicyOptions)MemberwiseClone();
        copy.Signals = signals;
        return copy;
    }

    /// <summary>Every problem, each naming its configuration key; empty when the policy is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Version)) errors.Add("Version: must not be empty (decisions record it).");

        foreach (var code in ReasonCodes.AllSignals)
        {
            if (Signals is null || !Signals.TryGetValue(code, out var rule) || rule is null)
            {
                errors.Add($"Signals:{code}: missing.");
                continue;
            }

            if (rule.Weight is < 0 or > 1 || double.IsNaN(rule.Weight)) errors.Add($"Signals:{code}:Weight: must be within 0..1, got {rule.Weight}.");
            if (rule.Threshold < 0 || double.IsNaN(rule.Threshold)) errors.Add($"Signals:{code}:Threshold: must be ≥ 0, got {rule.Threshold}.");
            if (rule.MinCount < 0) errors.Add($"Signals:{code}:MinCount: must be ≥ 0, got {rule.MinCount}.");
            if (rule.Window <= TimeSpan.Zero) errors.Add($"Signals:{code}:Window: must be positive, got {rule.Window}.");
        }

        foreach (var unknown in Signals?.Keys.Except(ReasonCodes.AllSignals) ?? [])
        {
            errors.Add($"Signals:{unknown}: not a known signal (known: {string.Join(", ", ReasonCodes.AllSignals)}).");
        }

        CheckLadder("Listing", ["Flagged", "Suppressed", "Removed"], Listing?.Thresholds(), errors);
        CheckLadder("Reviewer", ["DownWeighted", "ReviewsHidden", "Restricted"], Reviewer?.Thresholds(), errors);
        CheckLadder("Seller", ["Warning", "NewListingsBlocked", "PayoutsHeld", "Suspended", "Closed"], Seller?.Thresholds(), errors);

        if (Credit is null)
        {
            errors.Add("Credit: missing.");
        }
        else
        {
            if (Credit.HalfLife <= TimeSpan.Zero) errors.Add($"Credit:HalfLife: must be positive, got {Credit.HalfLife}.");
            if (Credit.PointsPerStep().Any(p => p < 0 || double.IsNaN(p))) errors.Add("Credit:*Points: penalty points must be ≥ 0.");
            if (Credit.ScorePerPoint < 0) errors.Add("Credit:ScorePerPoint: must be ≥ 0.");
            if (Credit.ScorePerPriorOffense < 0) errors.Add("Credit:ScorePerPriorOffense: must be ≥ 0.");
            if (Credit.MaxPriorOffensesCounted < 0) errors.Add("Credit:MaxPriorOffensesCounted: must be ≥ 0.");
        }

        if (Text is null) errors.Add("Text: missing.");
        else if (Text.NearDuplicateMaxDistance is < 0 or > 32) errors.Add($"Text:NearDuplicateMaxDistance: must be within 0..32 bits, got {Text.NearDuplicateMaxDistance}.");

        if (ReviewRisk is null) errors.Add("ReviewRisk: missing.");
        else errors.AddRange(ReviewRisk.Validate());

        return errors;
    }

    private static void CheckLadder(string name, string[] steps, double[]? thresholds, List<string> errors)
    {
        if (thresholds is null)
        {
            errors.Add($"{name}: missing.");
            return;
        }

        for (var i = 0; i < thresholds.Length; i++)
        {
            if (thresholds[i] is <= 0 or > 100 || double.IsNaN(thresholds[i])) errors.Add($"{name}:{steps[i]}: must be within (0, 100], got {thresholds[i]}.");
            if (i > 0 && thresholds[i] <= thresholds[i - 1]) errors.Add($"{name}:{steps[i]}: must be above {name}:{steps[i - 1]} ({thresholds[i]} ≤ {thresholds[i - 1]}).");
        }
    }
}
