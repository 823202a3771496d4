using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Signals.Reviewer;

/// <summary>Signals of organised reviewing: moving in lockstep with other accounts, rebates, scripts, fresh accounts.</summary>
public static class CoordinationSignals
{
    /// <summary>
    /// Accounts that reviewed at least MinCount of the same listings close in time to this one (the listing decides
    /// "close", using this rule's Window). Two shoppers may share one popular listing by chance; several accounts
    /// sharing three listings within hours are a ring.
    /// </summary>
    public static Reason? Lockstep(ReviewerState s, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.Lockstep);
        if (!rule.Enabled) return null;
        var strong = 0;
        foreach (var (_, listings) in s.CoReviewers)
        {
            if (listings.Count >= Math.Max(1, rule.MinCount)) strong++;
        }

        if (strong < Math.Max(1, rule.Threshold)) return null;
        return LockstepReason(s, rule);
    }

    /// <summary>Past the counts that can stop it: its lambdas live here, so their closures are allocated only when it gets this far.</summary>
    private static Reason? LockstepReason(ReviewerState s, SignalRule rule)
    {
        var partners = s.CoReviewers.Where(kv => kv.Value.Count >= Math.Max(1, rule.MinCount)).ToList();
        var shared = partners.SelectMany(p => p.Value).ToHashSet(StringComparer.Ordinal);
        var max = partners.Max(p => p.Value.Count);
        return SignalReason.Trip(ReasonCodes.Lockstep, rule, partners.Count, rule.Threshold,
            $"{partners.Count} accounts each co-reviewed {rule.MinCount}+ of the same listings within {SignalReason.Span(rule.Window)} ({shared.Count} listings, up to {max} with one account)",
            s.Reviews.Where(r => shared.Contains(r.ListingId)).Select(r => r.EventId));
    }

    /// <summary>
    /// A positive review, then a refund of the order it reviewed: the classic rebate for a paid review. A review names
    /// its order when verified; an unverified review matches any refunded order of the same listing.
    /// </summary>
    public static Reason? ReviewThenRefund(ReviewerState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.ReviewThenRefund);
        if (!rule.Enabled) return null;
        var refunds = 0;
        foreach (var o in s.Orders)
        {
            if (o.RefundedAt is { } refunded && refunded <= now && refunded > now - rule.Window) refunds++;
        }

        // Each hit is a refunded order: fewer refunds than the threshold cannot trip.
        if (refunds < Math.Max(1, rule.Threshold)) return null;
        return RefundReason(s, now, rule);
    }

    /// <summary>Past the counts that can stop it: its lambdas live here, so their closures are allocated only when it gets this far.</summary>
    private static Reason? RefundReason(ReviewerState s, DateTimeOffset now, SignalRule rule)
    {
        var hits = s.Orders
            .Where(o => o.RefundedAt is { } refunded && refunded <= now && refunded > now - rule.Window)
            .Select(o => (Order: o, Review: s.Reviews.LastOrDefault(r =>
                (r.OrderId == o.OrderId || (r.OrderId is null && r.ListingId == o.ListingId)) && r.Rating >= 4 && r.At <= o.RefundedAt && o.RefundedAt - r.At <= rule.Window)))
            .Where(x => x.Review is not null)
            .ToList();
        if (hits.Count < Math.Max(1, rule.Threshold)) return null;
        return SignalReason.Trip(ReasonCodes.ReviewThenRefund, rule, hits.Count, rule.Threshold,
            $"{hits.Count} order{(hits.Count == 1 ? "" : "s")} refunded after a 4-5 star review of the same listing (median {MedianHours(hits.Select(h => h.Order.RefundedAt!.Value - h.Review!.At)):0.#}h later)",
            hits.SelectMany(h => new[] { h.Review!.EventId, h.Order.LastEventId }));
    }

    public static Reason? NearDuplicateText(ReviewerState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.NearDuplicateText);
        if (!rule.Enabled) return null;
        var (start, end) = TimeWindows.Range(s.DuplicateHits, now, rule.Window);
        if (end - start < Math.Max(1, rule.Threshold)) return null;
        var hits = s.DuplicateHits.GetRange(start, end - start);
        var own = hits.Count(h => h.OtherReviewerId is null);
        return SignalReason.Trip(ReasonCodes.NearDuplicateText, rule, hits.Count, rule.Threshold,
            $"{hits.Count} reviews in {SignalReason.Span(rule.Window)} near-duplicate other text ({own} of its own on other listings, {hits.Count - own} of other accounts)",
            hits.Select(h => h.EventId));
    }

    public static Reason? NewAccount(ReviewerState s, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.NewAccount);
        if (!rule.Enabled || s.AccountCreatedAt is not { } created || s.FirstReviewAt is not { } first) return null;
        var age = first - created;
        if (age >= rule.Window) return null;
        return SignalReason.Trip(ReasonCodes.NewAccount, rule, age.TotalHours, rule.Window.TotalHours,
            $"first review {Math.Max(0, age.TotalHours):0.#}h after the account was created (threshold {SignalReason.Span(rule.Window)})",
            s.FirstReviewEventId is { } id ? [id] : []);
    }

    private static double MedianHours(IEnumerable<TimeSpan> spans)
    {
        var sorted = spans.Select(s => s.TotalHours).Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }
}
