using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Signals.Seller;

/// <summary>Brushing (fake orders to inflate sales) and complaints relative to sales.</summary>
public static class OrderSignals
{
    /// <summary>A buyer with this many orders in the window is a repeat buyer.</summary>
    public const int RepeatBuyerOrders = 3;

    /// <summary>
    /// Suspect orders: from a repeat buyer and then refunded or cancelled (money goes round in a circle), or shipped
    /// or paid through the seller's own identifiers. A share of them, not a count, so big honest shops are not hit.
    /// </summary>
    public static Reason? Brushing(SellerState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.Brushing);
        if (!rule.Enabled) return null;
        // Runs on every event of the seller: counted from the running counts (two binary searches, no walk over the
        // orders). Only a reversed or self-linked order can be suspect, so when even all of them are too small a share
        // the honest common case (a few refunds among many orders) stops here, before buyers are grouped.
        var (recent, bound, _) = s.OrderTimes().InWindow(now, rule.Window);

        if (recent < Math.Max(1, rule.MinCount)) return null;
        if (rule.Threshold > 0 && bound == 0) return null;
        if ((double)bound / recent < rule.Threshold) return null;
        return BrushingReason(s, now, rule);
    }

    /// <summary>Past the counts that can stop it: its lambdas live here, so their closures are allocated only when it gets this far.</summary>
    private static Reason? BrushingReason(SellerState s, DateTimeOffset now, SignalRule rule)
    {
        var orders = Recent(s, now, rule.Window);
        var repeatBuyers = orders.GroupBy(o => o.BuyerId).Where(g => g.Count() >= RepeatBuyerOrders).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var reversed = orders.Count(o => o.Status is OrderStatus.Refunded or OrderStatus.Cancelled);
        var suspect = orders.Where(o => o.SelfLinked || (repeatBuyers.Contains(o.BuyerId) && o.Status is OrderStatus.Refunded or OrderStatus.Cancelled)).ToList();
        var share = (double)suspect.Count / orders.Count;
        if (share < rule.Threshold) return null;

        return SignalReason.Trip(ReasonCodes.Brushing, rule, share, rule.Threshold,
            $"{suspect.Count} of {orders.Count} orders in {SignalReason.Span(rule.Window)} ({SignalReason.Percent(share)}) suspect: {repeatBuyers.Count} buyers with {RepeatBuyerOrders}+ orders, {reversed} refunded or cancelled, {orders.Count(o => o.SelfLinked)} linked to the seller's own identifiers",
            suspect.Select(o => o.EventId));
    }

    public static Reason? SelfLinkedOrders(SellerState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.SelfLinkedOrders);
        if (!rule.Enabled) return null;
        if (s.OrderTimes().InWindow(now, rule.Window).SelfLinked < Math.Max(1, rule.Threshold)) return null;
        var linked = Recent(s, now, rule.Window).Where(o => o.SelfLinked).ToList();
        return SignalReason.Trip(ReasonCodes.SelfLinkedOrders, rule, linked.Count, rule.Threshold,
            $"{linked.Count} orders in {SignalReason.Span(rule.Window)} from {linked.Select(o => o.BuyerId).Distinct().Count()} buyers whose ship-to, payment or contact matches the seller's own identifiers",
            linked.Select(o => o.EventId));
    }

    public static Reason? ComplaintRate(SellerState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.SellerComplaintRate);
        if (!rule.Enabled) return null;
        if (CountRecent(s.Complaints, now, rule.Window) < Math.Max(1, rule.MinCount)) return null;
        return ComplaintRateReason(s, now, rule);
    }

    /// <summary>Past the counts that can stop it: its lambdas live here, so their closures are allocated only when it gets this far.</summary>
    private static Reason? ComplaintRateReason(SellerState s, DateTimeOffset now, SignalRule rule)
    {
        var complaints = s.Complaints.Where(c => c.At > now - rule.Window && c.At <= now).ToList();
        var orders = s.OrderTimes().InWindow(now, rule.Window).Recent;
        var rate = (double)complaints.Count / Math.Max(orders, 1);
        if (rate < rule.Threshold) return null;
        return SignalReason.Trip(ReasonCodes.SellerComplaintRate, rule, rate, rule.Threshold,
            $"{complaints.Count} complaints on {orders} orders in {SignalReason.Span(rule.Window)} ({SignalReason.Percent(rate)}) across {complaints.Select(c => c.ListingId).Distinct().Count()} listings",
            complaints.Select(c => c.EventId));
    }

    public static Reason? CounterfeitReports(SellerState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.CounterfeitReports);
        if (!rule.Enabled) return null;
        if (CountRecent(s.BrandReports, now, rule.Window, static r => r.Kind != BrandReportKind.Defamation)
            + CountRecent(s.Complaints, now, rule.Window, static c => c.Kind == ComplaintKind.Counterfeit) < Math.Max(1, rule.Threshold)) return null;
        return CounterfeitReason(s, now, rule);
    }

    /// <summary>Past the counts that can stop it: its lambdas live here, so their closures are allocated only when it gets this far.</summary>
    private static Reason? CounterfeitReason(SellerState s, DateTimeOffset now, SignalRule rule)
    {
        var reports = s.BrandReports.Where(r => r.Kind != BrandReportKind.Defamation && r.At > now - rule.Window && r.At <= now).Select(r => r.EventId).ToList();
        var complaints = s.Complaints.Where(c => c.Kind == ComplaintKind.Counterfeit && c.At > now - rule.Window && c.At <= now).Select(c => c.EventId).ToList();
        var total = reports.Count + complaints.Count;
        if (total < Math.Max(1, rule.Threshold)) return null;
        return SignalReason.Trip(ReasonCodes.CounterfeitReports, rule, total, rule.Threshold,
            $"{reports.Count} brand-owner counterfeit/trademark reports and {complaints.Count} counterfeit complaints in {SignalReason.Span(rule.Window)}",
            reports.Concat(complaints));
    }

    /// <summary>
    /// How many items in (now - window, now] match, counted without copying (signals run on every event): the lists are
    /// kept in time order, so the window is found by binary search and only its items are visited.
    /// </summary>
    private static int CountRecent<T>(List<T> items, DateTimeOffset now, TimeSpan window, Func<T, bool>? match = null)
        where T : ITimed
    {
        var (start, end) = TimeWindows.Range(items, now, window);
        if (match is null) return end - start;
        var count = 0;
        for (var i = start; i < end; i++)
        {
            if (match(items[i])) count++;
        }

        return count;
    }

    private static List<SellerOrder> Recent(SellerState s, DateTimeOffset now, TimeSpan window) =>
        s.Orders.Where(o => o.At > now - window && o.At <= now).ToList();
}
