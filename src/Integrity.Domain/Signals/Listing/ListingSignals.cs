using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Signals.Listing;

/// <summary>Every listing signal, evaluated at the listing's clock.</summary>
public static class ListingSignals
{
    /// <returns>A new list, the caller's to keep.</returns>
    public static List<Reason> Evaluate(ListingState s, DateTimeOffset now, PolicyOptions policy)
    {
        var reasons = new List<Reason>(4);
        Add(reasons, ReviewBurstSignal.Burst(s, now, policy));
        Add(reasons, ReviewBurstSignal.Attack(s, now, policy));
        Add(reasons, RatingShiftSignal.Evaluate(s, now, policy));
        Add(reasons, ReviewerQualitySignals.SuspiciousReviewers(s, now, policy));
        Add(reasons, ReviewerQualitySignals.DuplicateText(s, now, policy));
        Add(reasons, BrandSignals.Counterfeit(s, policy));
        Add(reasons, BrandSignals.UnauthorizedUse(s, policy));
        Add(reasons, BrandSignals.Reports(s, now, policy));
        Add(reasons, ContentSignals.ProhibitedClaims(s, policy));
        Add(reasons, ContentSignals.ExaggeratedClaims(s, policy));
        Add(reasons, ContentSignals.PriceDumping(s, policy));
        Add(reasons, ComplaintRateSignal.Evaluate(s, now, policy));
        Add(reasons, BaitAndSwitchSignal.Evaluate(s, now, policy));
        return reasons;
    }

    private static void Add(List<Reason> reasons, Reason? reason)
    {
        if (reason is not null) reasons.Add(reason);
    }
}
