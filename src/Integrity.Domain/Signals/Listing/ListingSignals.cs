using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Signals.Listing;

/// <summary>Every listing signal, evaluated at the listing's clock.</summary>
public static class ListingSignals
{
    public static IReadOnlyList<Reason> Evaluate(ListingState s, DateTimeOffset now, PolicyOptions policy) =>
        new[]
        {
            ReviewBurstSignal.Burst(s, now, policy),
            ReviewBurstSignal.Attack(s, now, policy),
            RatingShiftSignal.Evaluate(s, now, policy),
            ReviewerQualitySignals.SuspiciousReviewers(s, now, policy),
            ReviewerQualitySignals.DuplicateText(s, now, policy),
            BrandSignals.Counterfeit(s, policy),
            BrandSignals.UnauthorizedUse(s, policy),
            BrandSignals.Reports(s, now, policy),
            ContentSignals.ProhibitedClaims(s, policy),
            ContentSignals.ExaggeratedClaims(s, policy),
            ContentSignals.PriceDumping(s, policy),
            ComplaintRateSignal.Evaluate(s, now, policy),
            BaitAndSwitchSignal.Evaluate(s, now, policy),
        }.OfType<Reason>().ToList();
}
