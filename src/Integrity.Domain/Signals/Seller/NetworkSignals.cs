using Integrity.Domain.Enforcement;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Signals.Seller;

/// <summary>What the seller's listings and linked sellers say about it, and how fast it is opening listings.</summary>
public static class NetworkSignals
{
    /// <summary>Onboarding velocity only applies to sellers younger than this: established shops bulk-upload catalogs.</summary>
    public static readonly TimeSpan NewSellerAge = TimeSpan.FromDays(7);

    public static Reason? ListingsEnforced(SellerState s, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.ListingsEnforced);
        if (!rule.Enabled) return null;
        if (Count(s.Listings, l => l.Level >= 2) < Math.Max(1, rule.Threshold)) return null;
        var enforced = s.Listings.Where(l => l.Value.Level >= 2).ToList();
        if (enforced.Count < Math.Max(1, rule.Threshold)) return null;
        var removed = enforced.Count(l => l.Value.Level >= 3);
        return SignalReason.Trip(ReasonCodes.ListingsEnforced, rule, enforced.Count, rule.Threshold,
            $"{enforced.Count} listings enforced ({removed} removed, {enforced.Count - removed} suppressed): {string.Join(", ", enforced.Take(5).Select(l => l.Key))}",
            []);
    }

    public static Reason? ReviewManipulation(SellerState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.ReviewManipulation);
        if (!rule.Enabled) return null;
        if (s.Listings.Count < Math.Max(1, rule.Threshold)) return null;
        var since = now - rule.Window;
        var manipulated = 0;
        foreach (var (_, outcome) in s.Listings)
        {
            if (outcome.At > since && ManipulatedReviews(outcome)) manipulated++;
        }

        if (manipulated < Math.Max(1, rule.Threshold)) return null;
        return ManipulationReason(s, now, rule);
    }

    /// <summary>Past the counts that can stop it: its lambdas live here, so their closures are allocated only when it gets this far.</summary>
    private static Reason? ManipulationReason(SellerState s, DateTimeOffset now, SignalRule rule)
    {
        var listings = s.Listings
            .Where(l => l.Value.At > now - rule.Window && l.Value.ReasonCodes.Any(ReasonCodes.ReviewManipulationCodes.Contains))
            .ToList();
        if (listings.Count < Math.Max(1, rule.Threshold)) return null;
        var codes = listings.SelectMany(l => l.Value.ReasonCodes).Where(ReasonCodes.ReviewManipulationCodes.Contains).Distinct();
        return SignalReason.Trip(ReasonCodes.ReviewManipulation, rule, listings.Count, rule.Threshold,
            $"{listings.Count} listings with manipulated reviews ({string.Join(", ", codes)}): {string.Join(", ", listings.Take(5).Select(l => l.Key))}",
            []);
    }

    public static Reason? LinkedNetwork(SellerState s, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.LinkedNetwork);
        if (!rule.Enabled) return null;
        if (s.LinkedSellers.Count < Math.Max(1, rule.Threshold)) return null;
        var linked = StronglyLinked(s).ToList();
        if (linked.Count < Math.Max(1, rule.Threshold)) return null;
        var kinds = linked.SelectMany(l => l.Value.SharedKinds).Where(IdentifierLinks.IsStrong).Distinct();
        return SignalReason.Trip(ReasonCodes.LinkedNetwork, rule, linked.Count, rule.Threshold,
            $"shares {string.Join(", ", kinds)} with {linked.Count} other sellers", []);
    }

    /// <summary>A linked seller was closed: the same operator is likely behind this one, so money is held whatever the score.</summary>
    public static Reason? LinkedToClosed(SellerState s, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.LinkedToClosed);
        if (!rule.Enabled) return null;
        if (Count(s.LinkedSellers, l => l.Level >= (int)SellerStep.Closed) < Math.Max(1, rule.Threshold)) return null;
        var closed = StronglyLinked(s).Where(l => l.Value.Level >= (int)SellerStep.Closed).ToList();
        if (closed.Count < Math.Max(1, rule.Threshold)) return null;
        var kinds = closed.SelectMany(l => l.Value.SharedKinds).Where(IdentifierLinks.IsStrong).Distinct();
        return SignalReason.Trip(ReasonCodes.LinkedToClosed, rule, closed.Count, rule.Threshold,
            $"shares {string.Join(", ", kinds)} with {closed.Count} closed seller{(closed.Count == 1 ? "" : "s")}: {string.Join(", ", closed.Take(5).Select(l => l.Key))}",
            []);
    }

    public static Reason? OnboardingVelocity(SellerState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.OnboardingVelocity);
        if (!rule.Enabled || s.RegisteredAt is not { } registered || now - registered >= NewSellerAge) return null;
        var created = s.ListingsCreated.InWindow(now, rule.Window);
        if (created < Math.Max(1, rule.Threshold)) return null;
        return SignalReason.Trip(ReasonCodes.OnboardingVelocity, rule, created, rule.Threshold,
            $"{created:0} listings created in {SignalReason.Span(rule.Window)} by a seller registered {(now - registered).TotalDays:0.#}d ago", []);
    }

    private static bool ManipulatedReviews(ListingOutcome outcome)
    {
        foreach (var code in outcome.ReasonCodes)
        {
            if (ReasonCodes.ReviewManipulationCodes.Contains(code)) return true;
        }

        return false;
    }

    /// <summary>A count without copying, so a seller with many known listings or links pays little when nothing trips.</summary>
    private static int Count<T>(Dictionary<string, T> map, Func<T, bool> match)
    {
        var n = 0;
        foreach (var (_, value) in map)
        {
            if (match(value)) n++;
        }

        return n;
    }

    private static IEnumerable<KeyValuePair<string, LinkedSeller>> StronglyLinked(SellerState s) =>
        s.LinkedSellers.Where(l => l.Value.SharedKinds.Any(IdentifierLinks.IsStrong));
}
