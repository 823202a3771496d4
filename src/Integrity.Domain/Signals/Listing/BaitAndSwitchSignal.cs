using System.Globalization;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.State;
using Integrity.Domain.Text;

namespace Integrity.Domain.Signals.Listing;

/// <summary>
/// A listing that collected reviews for one product and was then rewritten into another (new title or category)
/// carries borrowed reputation. Small edits (a new edition, a typo) keep most title words and do not count.
/// </summary>
public static class BaitAndSwitchSignal
{
    public static Reason? Evaluate(ListingState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.BaitAndSwitch);
        if (!rule.Enabled || s.Rewrites.Count == 0) return null;
        return RewriteReason(s, now, rule);
    }

    /// <summary>Past the counts that can stop it: its lambdas live here, so their closures are allocated only when it gets this far.</summary>
    private static Reason? RewriteReason(ListingState s, DateTimeOffset now, SignalRule rule)
    {
        var rewrite = s.Rewrites
            .Where(r => r.At > now - rule.Window && r.At <= now && r.ReviewsBefore >= rule.MinCount)
            .Where(r => r.TitleOverlap <= rule.Threshold || r.FromCategory != r.ToCategory)
            .LastOrDefault();
        if (rewrite is null) return null;

        var message = rewrite.FromCategory != rewrite.ToCategory
            ? string.Create(CultureInfo.InvariantCulture, $"category changed from \"{rewrite.FromCategory}\" to \"{rewrite.ToCategory}\" after {rewrite.ReviewsBefore} reviews")
            : string.Create(CultureInfo.InvariantCulture, $"title rewritten after {rewrite.ReviewsBefore} reviews (\"{Clip(rewrite.FromTitle)}\" → \"{Clip(rewrite.ToTitle)}\", {SignalReason.Percent(rewrite.TitleOverlap)} words kept)");
        return SignalReason.Trip(ReasonCodes.BaitAndSwitch, rule, rewrite.TitleOverlap, rule.Threshold, $"{message}", [rewrite.EventId]);
    }

    /// <summary>Share of words two titles have in common (Jaccard over folded words; Chinese per character).</summary>
    public static double TitleOverlap(string a, string b)
    {
        var wa = TextFolding.Words(TextFolding.Fold(a)).ToHashSet(StringComparer.Ordinal);
        var wb = TextFolding.Words(TextFolding.Fold(b)).ToHashSet(StringComparer.Ordinal);
        var union = wa.Union(wb).Count();
        return union == 0 ? 1 : (double)wa.Intersect(wb).Count() / union;
    }

    private static string Clip(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
