using System.Globalization;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Signals.Reviewer;

/// <summary>
/// Signals from how established an account is and how far its ratings stray from everyone else's. Both are weak and
/// graded: review filters at scale lean on them (a one-off account giving a listing a rating nobody else gives it is the
/// typical filtered review), but an honest newcomer looks the same, so neither can reach a ladder step alone.
/// </summary>
public static class HistorySignals
{
    /// <summary>log2(reviews) + log2(1 + span / window): 0 for a first review, ≈ 6 for a year of regular reviewing.</summary>
    public static double Establishment(int reviews, TimeSpan span, TimeSpan window) =>
        Math.Log2(Math.Max(1, reviews)) + Math.Log2(1 + (Math.Max(0, span.Ticks) / (double)window.Ticks));

    /// <summary>
    /// 1 − establishment / Threshold of THIN_HISTORY's rule, within 0..1: how little the account's history says. 0 without
    /// reviews, and 0 when the rule is off (a policy without THIN_HISTORY grades nothing by it).
    /// </summary>
    public static double Thinness(ReviewerState s, SignalRule rule) => History(s, rule)?.Thinness ?? 0;

    /// <summary>The account's establishment, its thinness and the span behind them; null when THIN_HISTORY's rule grades nothing.</summary>
    private static (double Establishment, double Thinness, TimeSpan Span)? History(ReviewerState s, SignalRule rule)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(rule);
        if (!rule.Enabled || s.Reviews.Count == 0 || rule.Threshold <= 0) return null;
        var (since, latest) = ActiveSpan(s);
        var establishment = Establishment(s.Reviews.Count, latest - since, rule.Window);
        return (establishment, Math.Clamp(1 - (establishment / rule.Threshold), 0, 1), latest - since);
    }

    public static Reason? ThinHistory(ReviewerState s, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.ThinHistory);
        if (History(s, rule) is not { Thinness: > 0 } history) return null;
        var (establishment, thinness, span) = history;
        return SignalReason.TripGraded(ReasonCodes.ThinHistory, rule, establishment, rule.Threshold, thinness,
            ThinHistoryText(s.Reviews.Count, span, s.AccountCreatedAt is not null, establishment, rule.Threshold),
            LatestIds(s.Reviews));
    }

    private static List<string> LatestIds(List<ReviewerReview> reviews)
    {
        var ids = SignalReason.Evidence();
        for (var i = Math.Max(0, reviews.Count - Reason.MaxEventIds); i < reviews.Count; i++) ids.Add(reviews[i].EventId);
        return ids;
    }

    private static Func<string> ThinHistoryText(int reviews, TimeSpan span, bool ofAccountAge, double establishment, double threshold) => () => string.Create(CultureInfo.InvariantCulture,
        $"{reviews} review{(reviews == 1 ? "" : "s")} over {SignalReason.Span(TimeSpan.FromDays(Math.Floor(span.TotalDays)))}{(ofAccountAge ? " of account age" : "")} (establishment {establishment:0.0} of {threshold:0.#})");

    /// <summary>
    /// Graded from any deviation, not tripped at Threshold: every reviewer whose ratings were compared gets a
    /// weight that rises with how far they stray (<see cref="DeviationStrength"/>), so accounts that differ in this
    /// evidence differ in score and rank by it instead of tying.
    /// </summary>
    public static Reason? RatingDeviation(ReviewerState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.RatingDeviation);
        if (!rule.Enabled || rule.Threshold <= 0) return null;
        var (start, end) = TimeWindows.Range(s.Reviews, now, rule.Window);
        var (count, sum) = (0, 0.0);
        for (var i = start; i < end; i++)
        {
            var r = s.Reviews[i];
            if (!Compared(r, rule)) continue;
            count++;
            sum += Math.Abs(r.Rating - r.ListingMeanBefore!.Value);
        }

        if (count == 0) return null;
        var deviation = sum / count;
        var strength = DeviationStrength(deviation, rule.Threshold);
        if (strength <= 0) return null;
        return SignalReason.TripGraded(ReasonCodes.RatingDeviation, rule, deviation, rule.Threshold, strength,
            RatingDeviationText(deviation, count, rule.Window, strength, rule.Threshold),
            ComparedIds(s.Reviews, start, end, rule));
    }

    private static List<string> ComparedIds(List<ReviewerReview> reviews, int start, int end, SignalRule rule)
    {
        var ids = SignalReason.Evidence();
        for (var i = start; i < end; i++)
        {
            if (Compared(reviews[i], rule)) ids.Add(reviews[i].EventId);
        }

        return ids;
    }

    private static Func<string> RatingDeviationText(double deviation, int count, TimeSpan window, double strength, double threshold) => () => string.Create(CultureInfo.InvariantCulture,
        $"ratings differ by {deviation:0.00} stars on average from the listings' averages before them ({count} review{(count == 1 ? "" : "s")} in {SignalReason.Span(window)}; strength {strength:0.00}, half at {threshold:0.0#})");

    /// <summary>
    /// deviation / (deviation + Threshold): 0 without deviation, ½ at Threshold stars, rising without a cap to the largest
    /// possible deviation (4 stars, ⅘ at the default Threshold of 1), so a 3-star miss weighs more than a 2-star one.
    /// </summary>
    public static double DeviationStrength(double deviation, double threshold) =>
        deviation <= 0 ? 0 : deviation / (deviation + Math.Max(threshold, double.Epsilon));

    /// <summary>From the first review (or the account's creation, when earlier) to the latest review.</summary>
    private static (DateTimeOffset Since, DateTimeOffset Latest) ActiveSpan(ReviewerState s)
    {
        var since = s.FirstReviewAt is { } first && first < s.Reviews[0].At ? first : s.Reviews[0].At;
        if (s.AccountCreatedAt is { } created && created < since) since = created;
        return (since, s.Reviews[^1].At);
    }

    private static bool Compared(ReviewerReview r, SignalRule rule) => r.ListingMeanBefore is not null && r.ListingRatingsBefore >= Math.Max(1, rule.MinCount);
}
