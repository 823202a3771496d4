using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Signals.Listing;

/// <summary>Counterfeit evidence: brand keyword + unauthorized seller + price far under the brand's reference, and brand-owner reports.</summary>
public static class BrandSignals
{
    public static Reason? Counterfeit(ListingState s, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.Counterfeit);
        if (!rule.Enabled || s.Brand is not { Authorized: false, ReferencePrice: { } reference } brand || s.Price is not { } price || reference <= 0) return null;
        var ratio = (double)(price / reference);
        if (ratio > rule.Threshold) return null;

        return SignalReason.Trip(ReasonCodes.Counterfeit, rule, ratio, rule.Threshold,
            $"\"{brand.MatchedKeyword ?? brand.BrandName}\" ({brand.BrandName}) sold by a seller the brand has not authorized at {price:0.00} {s.Currency}, {SignalReason.Percent(ratio)} of the reference {reference:0.00}",
            Evidence(s));
    }

    /// <summary>Unauthorized use at a plausible price: weak alone (resellers exist), but it adds up with other evidence.</summary>
    public static Reason? UnauthorizedUse(ListingState s, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.UnauthorizedBrandUse);
        if (!rule.Enabled || s.Brand is not { Authorized: false } brand || Counterfeit(s, policy) is not null) return null;
        return SignalReason.Trip(ReasonCodes.UnauthorizedBrandUse, rule, 1, rule.Threshold,
            $"\"{brand.MatchedKeyword ?? brand.BrandName}\" ({brand.BrandName}) used by a seller the brand has not authorized", Evidence(s));
    }

    public static Reason? Reports(ListingState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.BrandReports);
        if (!rule.Enabled || s.BrandReports.Count == 0) return null;
        return ReportsReason(s, now, rule);
    }

    /// <summary>Past the counts that can stop it: its lambdas live here, so their closures are allocated only when it gets this far.</summary>
    private static Reason? ReportsReason(ListingState s, DateTimeOffset now, SignalRule rule)
    {
        var reports = s.BrandReports.Where(r => r.Kind != BrandReportKind.Defamation && r.At > now - rule.Window && r.At <= now).ToList();
        if (reports.Count < Math.Max(1, rule.Threshold)) return null;
        var kinds = string.Join(", ", reports.GroupBy(r => r.Kind).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        return SignalReason.Trip(ReasonCodes.BrandReports, rule, reports.Count, rule.Threshold,
            $"{reports.Count} brand-owner reports in {SignalReason.Span(rule.Window)} ({kinds})", reports.Select(r => r.EventId));
    }

    private static IEnumerable<string> Evidence(ListingState s) => s.ContentEventId is { } id ? [id] : [];
}
