using System.Globalization;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Signals.Review;

/// <summary>One review's risk (0..100) and the parts behind it, e.g. <c>reviewer 20.0 (THIN_HISTORY) · deviation 2.4★ · extreme</c>.</summary>
public sealed record ReviewRiskScore(double Score, string Explanation);

/// <summary>
/// The risk of one review: what its author's account looks like (the reviewer's score and reasons), what its listing
/// looks like (bursts, flagged reviewers), and the review's own features — how far its rating is from the listing's
/// average and whether it is a 1- or 5-star rating. Parts combine as independent evidence,
/// 100 × (1 − Π(1 − w·part)), with the weights of <see cref="ReviewRiskOptions"/>.
/// <para>
/// At arrival, call it with the reviewer and listing as they stood right after the review was applied and the listing's
/// average before the review (<see cref="ReviewerReview.ListingMeanBefore"/>). At the end of a stream, call it with
/// their final states and the listing's final average without this review: the same definition with hindsight (an
/// account that never came back, a rating the listing's later reviewers did not share).
/// </para>
/// </summary>
public static class ReviewRisk
{
    public static ReviewRiskScore Score(
        int rating,
        EnforcementState reviewer,
        EnforcementState? listing,
        double? listingMean,
        int listingRatings,
        PolicyOptions policy)
    {
        ArgumentNullException.ThrowIfNull(reviewer);
        ArgumentNullException.ThrowIfNull(policy);
        var o = policy.ReviewRisk;
        var keep = 1 - (o.ReviewerWeight * Math.Clamp(reviewer.Score, 0, 100) / 100);
        var parts = new List<string>(4);
        if (reviewer.Score > 0) parts.Add(Part($"reviewer {reviewer.Score:0.0}", reviewer.Reasons));
        if (listing is { Score: > 0 })
        {
            keep *= 1 - (o.ListingWeight * Math.Clamp(listing.Score, 0, 100) / 100);
            parts.Add(Part($"listing {listing.Score:0.0}", listing.Reasons));
        }

        if (listingMean is { } mean && DeviationStrength(rating, listingMean, listingRatings, o) is { } strength)
        {
            var deviation = Math.Abs(rating - mean);
            keep *= 1 - (o.DeviationWeight * strength);
            if (deviation >= 0.05) parts.Add(string.Create(CultureInfo.InvariantCulture, $"deviation {deviation:0.0}★ from {mean:0.00} over {listingRatings}"));
        }

        if (rating is 1 or 5)
        {
            keep *= 1 - o.ExtremeWeight;
            parts.Add($"extreme {rating}★");
        }

        return new ReviewRiskScore(Scoring.Round(100 * (1 - keep)), string.Join(" · ", parts));
    }

    /// <summary>
    /// The score of <see cref="Score"/> alone, with the same arithmetic in the same order, without building the
    /// explanation: a replay scores every review on arrival and only keeps the number.
    /// </summary>
    public static double Value(int rating, EnforcementState reviewer, EnforcementState? listing, double? listingMean, int listingRatings, PolicyOptions policy)
    {
        ArgumentNullException.ThrowIfNull(reviewer);
        ArgumentNullException.ThrowIfNull(policy);
        var o = policy.ReviewRisk;
        var keep = 1 - (o.ReviewerWeight * Math.Clamp(reviewer.Score, 0, 100) / 100);
        if (listing is { Score: > 0 }) keep *= 1 - (o.ListingWeight * Math.Clamp(listing.Score, 0, 100) / 100);
        if (DeviationStrength(rating, listingMean, listingRatings, o) is { } strength) keep *= 1 - (o.DeviationWeight * strength);
        if (rating is 1 or 5) keep *= 1 - o.ExtremeWeight;
        return Scoring.Round(100 * (1 - keep));
    }

    /// <summary>
    /// How far the rating strays from the listing's average, 0..1 of <see cref="ReviewRiskOptions.DeviationScale"/>; null
    /// while the average rests on fewer than <see cref="ReviewRiskOptions.MinListingRatings"/> ratings.
    /// </summary>
    public static double? DeviationStrength(int rating, double? listingMean, int listingRatings, ReviewRiskOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return listingMean is { } mean && listingRatings >= options.MinListingRatings ? Math.Min(1, Math.Abs(rating - mean) / options.DeviationScale) : null;
    }

    private static string Part(FormattableString head, IReadOnlyList<Reason> reasons)
    {
        var codes = reasons.Where(r => r.Weight > 0).Select(r => r.Code).ToList();
        var text = head.ToString(CultureInfo.InvariantCulture);
        return codes.Count == 0 ? text : $"{text} ({string.Join('+', codes)})";
    }
}
