using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.Primitives;
using Integrity.Domain.State;

namespace Integrity.Domain.Signals.Listing;

/// <summary>
/// Review bursts against the listing's own baseline, split by direction: a burst of praise inflates the listing
/// (REVIEW_BURST, counts against it); a burst of 1-2 stars targets it (REVIEW_ATTACK, informational by default,
/// because punishing the victim of a defamation campaign is exactly what the attackers want).
/// </summary>
public static class ReviewBurstSignal
{
    /// <summary>How far back the baseline looks, and how fast it forgets (≈ a 7-hour half-life at hourly windows).</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(7);

    public const double Alpha = 0.1;

    public static Reason? Burst(ListingState s, DateTimeOffset now, PolicyOptions policy) =>
        Evaluate(ReasonCodes.ReviewBurst, s.PositiveReviews, "positive", r => r.IsPositive, s, now, policy);

    public static Reason? Attack(ListingState s, DateTimeOffset now, PolicyOptions policy) =>
        Evaluate(ReasonCodes.ReviewAttack, s.NegativeReviews, "1-2 star", r => r.IsNegative, s, now, policy);

    private static Reason? Evaluate(string code, TimeBuckets counts, string label, Func<ListingReview, bool> matches, ListingState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(code);
        if (!rule.Enabled) return null;
        // Count the current window exactly from the review list when it reaches back far enough (buckets round out).
        var (start, end) = TimeWindows.Range(s.Reviews, now, rule.Window);
        var count = 0;
        for (var i = start; i < end; i++)
        {
            if (matches(s.Reviews[i])) count++;
        }

        var listCoversWindow = s.Reviews.Count < ListingState.MaxReviews || s.Reviews[0].At <= now - rule.Window;
        var current = listCoversWindow ? count : counts.InWindow(now, rule.Window);
        // Too few to trip whatever the baseline: the baseline (a pass over a week of windows) is not computed.
        if (current < rule.MinCount) return null;
        var b = RateBaselines.Evaluate(counts, now, rule.Window, Lookback, Alpha, current);
        if (b.ZScore < rule.Threshold) return null;

        var window = SignalReason.Span(rule.Window);
        var ids = TimeWindows.Slice(s.Reviews, start, end).Where(matches).Select(r => r.EventId);
        return SignalReason.Trip(code, rule, b.ZScore, rule.Threshold,
            $"{b.Current:0} {label} reviews in {window} vs baseline {b.Mean:0.0}/{window} (z={b.ZScore:0.0})", ids);
    }
}
