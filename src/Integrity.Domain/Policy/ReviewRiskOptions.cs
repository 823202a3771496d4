namespace Integrity.Domain.Policy;

/// <summary>
/// How one review's risk is scored from its author, its listing and its own features (see
/// <see cref="Signals.Review.ReviewRisk"/>). Each weight is the share of that part that counts, combined like signal
/// weights (1 − Π(1 − w·part)).
/// </summary>
public sealed class ReviewRiskOptions
{
    /// <summary>Share of the reviewer's own risk score (0..100) the review inherits.</summary>
    public double ReviewerWeight { get; set; } = 1.0;

    /// <summary>Share of the listing's risk score (bursts, flagged reviewers, ...) the review inherits.</summary>
    public double ListingWeight { get; set; } = 0.5;

    /// <summary>Weight of the review's distance from the listing's average rating, full at <see cref="DeviationScale"/> stars.</summary>
    public double DeviationWeight { get; set; } = 0.04;

    public double DeviationScale { get; set; } = 2.0;

    /// <summary>The listing's average counts only once it rests on this many other ratings.</summary>
    public int MinListingRatings { get; set; } = 3;

    /// <summary>Weight of a 1- or 5-star rating.</summary>
    public double ExtremeWeight { get; set; } = 0.02;

    public IEnumerable<string> Validate()
    {
        foreach (var (name, value) in new[] { ("ReviewerWeight", ReviewerWeight), ("ListingWeight", ListingWeight), ("DeviationWeight", DeviationWeight), ("ExtremeWeight", ExtremeWeight) })
        {
            if (value is < 0 or > 1 || double.IsNaN(value)) yield return $"ReviewRisk:{name}: must be within 0..1, got {value}.";
        }

        if (DeviationScale <= 0 || double.IsNaN(DeviationScale)) yield return $"ReviewRisk:DeviationScale: must be positive, got {DeviationScale}.";
        if (MinListingRatings < 0) yield return $"ReviewRisk:MinListingRatings: must be ≥ 0, got {MinListingRatings}.";
    }
}
