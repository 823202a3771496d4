using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Signals.Listing;

/// <summary>Complaints relative to sales: a few complaints on a best-seller are normal, the same on a handful of orders are not.</summary>
public static class ComplaintRateSignal
{
    public static readonly TimeSpan OrderWindow = TimeSpan.FromDays(30);

    public static Reason? Evaluate(ListingState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.ComplaintRate);
        // No fewer complaints in the window than MinCount can come from fewer complaints in all.
        if (!rule.Enabled || s.Complaints.Count < Math.Max(1, rule.MinCount)) return null;
        return ComplaintRateReason(s, now, rule);
    }

    /// <summary>Past the counts that can stop it: its lambdas live here, so their closures are allocated only when it gets this far.</summary>
    private static Reason? ComplaintRateReason(ListingState s, DateTimeOffset now, SignalRule rule)
    {
        var complaints = s.Complaints.Where(c => c.At > now - rule.Window && c.At <= now).ToList();
        if (complaints.Count < Math.Max(1, rule.MinCount)) return null;
        var orders = s.Orders.InWindow(now, OrderWindow);
        var rate = complaints.Count / Math.Max(orders, 1);
        if (rate < rule.Threshold) return null;

        var kinds = string.Join(", ", complaints.GroupBy(c => c.Kind).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}"));
        return SignalReason.Trip(ReasonCodes.ComplaintRate, rule, rate, rule.Threshold,
            $"{complaints.Count} complaints in {SignalReason.Span(rule.Window)} on {orders:0} orders in {SignalReason.Span(OrderWindow)} ({SignalReason.Percent(rate)}; {kinds})",
            complaints.Select(c => c.EventId));
    }
}
