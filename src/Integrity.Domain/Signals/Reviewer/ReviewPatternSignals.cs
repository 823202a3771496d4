using System.Runtime.InteropServices;
using System.Globalization;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Signals.Reviewer;

/// <summary>Signals from the account's own reviews: how many, how verified, how extreme, how concentrated.</summary>
public static class ReviewPatternSignals
{
    public static Reason? Velocity(ReviewerState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.ReviewVelocity);
        if (!rule.Enabled) return null;
        var (start, end) = TimeWindows.Range(s.Reviews, now, rule.Window);
        if (end - start < Math.Max(1, rule.Threshold)) return null;
        var recent = s.Reviews.GetRange(start, end - start);
        return SignalReason.Trip(ReasonCodes.ReviewVelocity, rule, recent.Count, rule.Threshold,
            $"{recent.Count} reviews in {SignalReason.Span(rule.Window)} (threshold {rule.Threshold:0})", recent.Select(r => r.EventId));
    }

    public static Reason? UnverifiedShare(ReviewerState s, DateTimeOffset now, PolicyOptions policy) =>
        Share(s, now, policy, ReasonCodes.UnverifiedShare, r => !r.Verified, "without a verified order");

    /// <summary>
    /// Full weight from a share of Threshold over MinCount reviews (a ring's run of 1/5★ ratings). Below that, graded for
    /// a thin account only: min(1, share / Threshold) × min(1, reviews / MinCount) × THIN_HISTORY's thinness (none when
    /// THIN_HISTORY is off). A new
    /// account's few ratings are most of what is known of it; an established account's 1/5★ share says little.
    /// </summary>
    public static Reason? ExtremeRatings(ReviewerState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.ExtremeRatings);
        if (!rule.Enabled) return null;
        var (start, end) = TimeWindows.Range(s.Reviews, now, rule.Window);
        var extreme = 0;
        for (var i = start; i < end; i++)
        {
            if (IsExtreme(s.Reviews[i])) extreme++;
        }

        if (extreme == 0) return null;
        var reviews = end - start;
        var share = (double)extreme / reviews;
        var thinness = HistorySignals.Thinness(s, policy.Rule(ReasonCodes.ThinHistory));
        var strength = ExtremeStrength(share, reviews, thinness, rule);
        if (strength <= 0) return null;
        return SignalReason.TripGraded(ReasonCodes.ExtremeRatings, rule, share, rule.Threshold, strength,
            ExtremeRatingsText(extreme, reviews, rule, share, strength, thinness),
            ExtremeIds(s.Reviews, start, end));
    }

    private static List<string> ExtremeIds(List<ReviewerReview> reviews, int start, int end)
    {
        var ids = SignalReason.Evidence();
        for (var i = start; i < end; i++)
        {
            if (IsExtreme(reviews[i])) ids.Add(reviews[i].EventId);
        }

        return ids;
    }

    private static Func<string> ExtremeRatingsText(int extreme, int reviews, SignalRule rule, double share, double strength, double thinness)
    {
        var (window, threshold, minCount) = (rule.Window, rule.Threshold, Math.Max(1, rule.MinCount));
        return () => string.Create(CultureInfo.InvariantCulture,
            $"{extreme} of {reviews} reviews in {SignalReason.Span(window)} ({SignalReason.Percent(share)}) rated 1 or 5 stars (strength {strength:0.00}; full at {SignalReason.Percent(threshold)} of {minCount}+ reviews, below that × thinness {thinness:0.00})");
    }

    /// <summary>1 from a share of Threshold over MinCount reviews; below, the share's and the count's progress toward that, times thinness.</summary>
    public static double ExtremeStrength(double share, int reviews, double thinness, SignalRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var minCount = Math.Max(1, rule.MinCount);
        if (share >= rule.Threshold && reviews >= minCount) return 1;
        return Math.Clamp(share / rule.Threshold, 0, 1) * Math.Clamp((double)reviews / minCount, 0, 1) * Math.Clamp(thinness, 0, 1);
    }

    private static bool IsExtreme(ReviewerReview r) => r.Rating is 1 or 5;

    public static Reason? SellerConcentration(ReviewerState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.SellerConcentration);
        if (!rule.Enabled) return null;
        var (start, end) = TimeWindows.Range(s.Reviews, now, rule.Window);
        if (end - start < Math.Max(1, rule.MinCount)) return null;
        // The top seller's share decides; grouping (and its tie-break) is only needed for the reason.
        if ((double)TopSellerCount(s.Reviews, start, end) / (end - start) < rule.Threshold) return null;
        var recent = s.Reviews.GetRange(start, end - start);
        var top = recent.GroupBy(r => r.SellerId).OrderByDescending(g => g.Count()).First();
        var share = (double)top.Count() / recent.Count;
        if (share < rule.Threshold) return null;
        return SignalReason.Trip(ReasonCodes.SellerConcentration, rule, share, rule.Threshold,
            $"{top.Count()} of {recent.Count} reviews in {SignalReason.Span(rule.Window)} ({SignalReason.Percent(share)}) on seller {top.Key}", top.Select(r => r.EventId));
    }

    [ThreadStatic]
    private static Dictionary<string, int>? t_perSeller;

    /// <summary>The most reviews in [start, end) on one seller, counted in a map reused per thread.</summary>
    private static int TopSellerCount(List<ReviewerReview> reviews, int start, int end)
    {
        var perSeller = t_perSeller ??= new Dictionary<string, int>(StringComparer.Ordinal);
        perSeller.Clear();
        var top = 0;
        for (var i = start; i < end; i++)
        {
            ref var n = ref CollectionsMarshal.GetValueRefOrAddDefault(perSeller, reviews[i].SellerId, out _);
            top = Math.Max(top, ++n);
        }

        return top;
    }

    private static Reason? Share(ReviewerState s, DateTimeOffset now, PolicyOptions policy, string code, Func<ReviewerReview, bool> matches, string label)
    {
        var rule = policy.Rule(code);
        if (!rule.Enabled) return null;
        var (start, end) = TimeWindows.Range(s.Reviews, now, rule.Window);
        if (end - start < Math.Max(1, rule.MinCount)) return null;
        var count = 0;
        for (var i = start; i < end; i++)
        {
            if (matches(s.Reviews[i])) count++;
        }

        if ((double)count / (end - start) < rule.Threshold) return null;
        var recent = s.Reviews.GetRange(start, end - start);
        var hits = recent.Where(matches).ToList();
        var share = (double)hits.Count / recent.Count;
        return SignalReason.Trip(code, rule, share, rule.Threshold,
            $"{hits.Count} of {recent.Count} reviews in {SignalReason.Span(rule.Window)} ({SignalReason.Percent(share)}) {label}", hits.Select(r => r.EventId));
    }

    internal static List<ReviewerReview> InWindow(ReviewerState s, DateTimeOffset now, TimeSpan window)
    {
        var (start, end) = TimeWindows.Range(s.Reviews, now, window);
        return s.Reviews.GetRange(start, end - start);
    }
}
