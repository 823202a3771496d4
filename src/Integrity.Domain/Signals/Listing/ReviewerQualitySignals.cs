using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Signals.Listing;

/// <summary>Who is praising the listing: flagged reviewers, or several accounts posting the same text.</summary>
public static class ReviewerQualitySignals
{
    /// <summary>Share of positive reviews from reviewers at DownWeighted or above (their level is reported back to the listing).</summary>
    public static Reason? SuspiciousReviewers(ListingState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.SuspiciousReviewers);
        if (!rule.Enabled) return null;
        var (start, end) = TimeWindows.Range(s.Reviews, now, rule.Window);
        var (positiveCount, flaggedCount) = (0, 0);
        for (var i = start; i < end; i++)
        {
            var r = s.Reviews[i];
            if (!r.IsPositive) continue;
            positiveCount++;
            if (s.FlaggedReviewers.Count > 0 && s.FlaggedReviewers.GetValueOrDefault(r.ReviewerId) > 0) flaggedCount++;
        }

        if (flaggedCount < rule.MinCount || positiveCount == 0) return null;
        return SuspiciousReason(s, start, end, rule);
    }

    /// <summary>Past the counts that can stop it: its lambdas live here, so their closures are allocated only when it gets this far.</summary>
    private static Reason? SuspiciousReason(ListingState s, int start, int end, SignalRule rule)
    {
        var positive = TimeWindows.Slice(s.Reviews, start, end).Where(r => r.IsPositive).ToList();
        var flagged = positive.Where(r => s.FlaggedReviewers.GetValueOrDefault(r.ReviewerId) > 0).ToList();
        var share = (double)flagged.Count / positive.Count;
        if (share < rule.Threshold) return null;

        return SignalReason.Trip(ReasonCodes.SuspiciousReviewers, rule, share, rule.Threshold,
            $"{flagged.Count} of {positive.Count} positive reviews in {SignalReason.Span(rule.Window)} ({SignalReason.Percent(share)}) from flagged reviewers",
            flagged.Select(r => r.EventId));
    }

    /// <summary>Share of positive reviews whose text near-duplicates another account's review of this listing (a shared script).</summary>
    public static Reason? DuplicateText(ListingState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.DuplicateReviewText);
        if (!rule.Enabled) return null;
        var (start, end) = TimeWindows.Range(s.Reviews, now, rule.Window);
        var (positiveCount, duplicatedCount) = (0, 0);
        for (var i = start; i < end; i++)
        {
            var r = s.Reviews[i];
            if (!r.IsPositive) continue;
            positiveCount++;
            if (r.Duplicated) duplicatedCount++;
        }

        if (duplicatedCount < rule.MinCount || positiveCount == 0) return null;
        var positive = TimeWindows.Slice(s.Reviews, start, end).Where(r => r.IsPositive).ToList();
        var duplicated = positive.Where(r => r.Duplicated).ToList();
        var share = (double)duplicated.Count / positive.Count;
        if (share < rule.Threshold) return null;

        return SignalReason.Trip(ReasonCodes.DuplicateReviewText, rule, share, rule.Threshold,
            $"{duplicated.Count} of {positive.Count} positive reviews in {SignalReason.Span(rule.Window)} ({SignalReason.Percent(share)}) near-duplicate another account's text",
            duplicated.Select(r => r.EventId));
    }
}
