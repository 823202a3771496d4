using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.State;
using Integrity.Domain.Text;

namespace Integrity.Domain.Signals.Listing;

/// <summary>What the listing says and what it costs: prohibited claims, exaggerated claims, dumping under the category.</summary>
public static class ContentSignals
{
    public static Reason? ProhibitedClaims(ListingState s, PolicyOptions policy) => Claims(s, policy, ReasonCodes.ProhibitedClaim, ClaimCategory.Prohibited, "prohibited health claim");

    public static Reason? ExaggeratedClaims(ListingState s, PolicyOptions policy) => Claims(s, policy, ReasonCodes.ExaggeratedClaim, ClaimCategory.Exaggerated, "exaggerated claim");

    public static Reason? PriceDumping(ListingState s, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.PriceDumping);
        if (!rule.Enabled || s.Price is not { } price || s.CategoryPrices is not { } stats) return null;
        if (stats.Currency != s.Currency || stats.Count < rule.MinCount || stats.Median <= 0) return null;
        var ratio = (double)(price / stats.Median);
        if (ratio > rule.Threshold) return null;

        return SignalReason.Trip(ReasonCodes.PriceDumping, rule, ratio, rule.Threshold,
            $"price {price:0.00} {s.Currency} is {SignalReason.Percent(ratio)} of the \"{stats.CategoryId}\" median {stats.Median:0.00} (n={stats.Count})",
            s.ContentEventId is { } id ? [id] : []);
    }

    private static Reason? Claims(ListingState s, PolicyOptions policy, string code, ClaimCategory category, string label)
    {
        var rule = policy.Rule(code);
        if (!rule.Enabled || s.Claims.Count == 0) return null;
        return ClaimsReason(s, rule, code, category, label);
    }

    /// <summary>Past the counts that can stop it: its lambdas live here, so their closures are allocated only when it gets this far.</summary>
    private static Reason? ClaimsReason(ListingState s, SignalRule rule, string code, ClaimCategory category, string label)
    {
        var matches = s.Claims.Where(c => c.Category == category).ToList();
        if (matches.Count == 0 || matches.Count < rule.Threshold) return null;
        var phrases = string.Join(", ", matches.Select(m => $"\"{m.Phrase}\" ({m.Language})"));
        return SignalReason.Trip(code, rule, matches.Count, rule.Threshold,
            $"{matches.Count} {label}{(matches.Count == 1 ? "" : "s")} in title or description: {phrases}",
            s.ContentEventId is { } id ? [id] : []);
    }
}
