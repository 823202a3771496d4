using Integrity.Domain.Learning;
using Integrity.Domain.Policy;
using Integrity.Domain.Replay;
using Integrity.Domain.Signals.Review;

namespace Integrity.Backtest.Fitting;

/// <summary>What one labelled example stands for: a review (its label) or a reviewer (any of its labelled reviews positive).</summary>
internal enum ExampleLevel
{
    Reviews,
    Reviewers,

    /// <summary>Analysts' verdicts on policy decisions (<see cref="VerdictsFile"/>): no history replayed.</summary>
    Verdicts,
}

/// <summary>The weights a fit may move (key → current weight) and the labelled examples over them.</summary>
internal sealed record FitProblem(IReadOnlyDictionary<string, double> Current, IReadOnlyList<LabelledExample> Examples);

/// <summary>
/// Turns a replayed history and its labels into examples for <see cref="NoisyOrFitter"/>, in the engine's end-of-stream
/// terms (the states after the last replayed event).
/// <para>
/// A reviewer signal's activation is its reason's weight over its rule's weight (a graded signal's strength, 1 for an
/// ungraded one), so a reviewer's score is 100 × (1 − Π(1 − wᵢaᵢ)) exactly as the fit models it. Only enabled signals
/// with a weight above 0 can be fitted: with weight 0 a graded signal's strength is not recorded.
/// </para>
/// <para>
/// <see cref="ExampleLevel.Reviews"/> (the default): one example per labelled review, with its reviewer's signals and
/// the review's own parts of <c>ReviewRisk</c> as three more weights, <c>ReviewRisk:ListingWeight</c> (activation: the
/// listing's score / 100), <c>ReviewRisk:DeviationWeight</c> (min(1, |rating − listing average without it| /
/// DeviationScale) once the average rests on MinListingRatings ratings) and <c>ReviewRisk:ExtremeWeight</c> (1 for a
/// 1- or 5-star rating). With <c>ReviewRisk:ReviewerWeight</c> = 1 a review's end-of-stream score is then exactly the
/// fitted noisy-OR, so the fit optimises the review ranking the engine writes. <see cref="ExampleLevel.Reviewers"/>:
/// one example per reviewer with a labelled review, positive when any of them is (as YelpChi's evaluate.py labels
/// reviewers), over the reviewer's signals only.
/// </para>
/// </summary>
internal static class FitExamples
{
    public const string ListingWeight = "ReviewRisk:ListingWeight";
    public const string DeviationWeight = "ReviewRisk:DeviationWeight";
    public const string ExtremeWeight = "ReviewRisk:ExtremeWeight";

    public static FitProblem Build(ReplayEngine engine, IReadOnlyList<ReplayedReview> reviews, IReadOnlyDictionary<string, bool> labels, ExampleLevel level)
    {
        var policy = engine.Policy;
        var current = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var code in ReasonCodes.Reviewer)
        {
            if (policy.Signals.TryGetValue(code, out var rule) && rule.Enabled && rule.Weight > 0) current[code] = rule.Weight;
        }

        var examples = new List<LabelledExample>();
        if (level == ExampleLevel.Reviews)
        {
            current[ListingWeight] = policy.ReviewRisk.ListingWeight;
            current[DeviationWeight] = policy.ReviewRisk.DeviationWeight;
            current[ExtremeWeight] = policy.ReviewRisk.ExtremeWeight;
            foreach (var review in reviews)
            {
                if (!labels.TryGetValue(review.Key, out var positive)) continue;
                var a = ReviewerActivations(engine, review.ReviewerId, current);
                ReviewParts(engine, review, a);
                examples.Add(new LabelledExample(a, positive));
            }
        }
        else
        {
            var byReviewer = new SortedDictionary<string, bool>(StringComparer.Ordinal);
            foreach (var review in reviews)
            {
                if (labels.TryGetValue(review.Key, out var positive)) byReviewer[review.ReviewerId] = positive || byReviewer.GetValueOrDefault(review.ReviewerId);
            }

            foreach (var (reviewer, positive) in byReviewer) examples.Add(new LabelledExample(ReviewerActivations(engine, reviewer, current), positive));
        }

        return new FitProblem(current, examples);
    }

    private static Dictionary<string, double> ReviewerActivations(ReplayEngine engine, string reviewerId, IReadOnlyDictionary<string, double> fittable)
    {
        var activations = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var reason in engine.Reviewer(reviewerId).Enforcement.Reasons)
        {
            if (reason.Weight <= 0 || !fittable.TryGetValue(reason.Code, out var weight)) continue;
            activations[reason.Code] = Math.Max(activations.GetValueOrDefault(reason.Code), Math.Clamp(reason.Weight / weight, 0, 1));
        }

        return activations;
    }

    /// <summary>The review's own parts, as <c>Backtester.FinalScore</c> scores them.</summary>
    private static void ReviewParts(ReplayEngine engine, ReplayedReview review, Dictionary<string, double> activations)
    {
        var o = engine.Policy.ReviewRisk;
        var listing = engine.Listing(review.ListingId);
        if (listing.Enforcement.Score > 0) activations[ListingWeight] = Math.Clamp(listing.Enforcement.Score, 0, 100) / 100;
        var (mean, others) = Backtester.ListingMeanWithout(listing, review.Rating);
        if (ReviewRisk.DeviationStrength(review.Rating, mean, others, o) is double deviation and > 0) activations[DeviationWeight] = deviation;

        if (review.Rating is 1 or 5) activations[ExtremeWeight] = 1;
    }
}
