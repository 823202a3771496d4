using static Integrity.Domain.Policy.ReasonCodes;

namespace Integrity.Domain.Policy;

/// <summary>The first policy's signal settings. Each is a starting point for analysts to tune, not a constant of nature.</summary>
public static class DefaultSignalRules
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public static Dictionary<string, SignalRule> Create() => new(StringComparer.Ordinal)
    {
        [ReviewBurst] = new(weight: 0.45, threshold: 4.0, minCount: 10, window: Hour),
        [ReviewAttack] = new(weight: 0.0, threshold: 4.0, minCount: 10, window: Hour),
        [RatingShift] = new(weight: 0.2, threshold: 0.5, minCount: 10, window: Day),
        [SuspiciousReviewers] = new(weight: 0.4, threshold: 0.3, minCount: 5, window: Day * 30),
        [DuplicateReviewText] = new(weight: 0.3, threshold: 0.3, minCount: 4, window: Day * 7),
        [Counterfeit] = new(weight: 0.7, threshold: 0.5, minCount: 0, window: Day * 30),
        [UnauthorizedBrandUse] = new(weight: 0.15, threshold: 0, minCount: 0, window: Day * 30),
        [BrandReports] = new(weight: 0.35, threshold: 1, minCount: 0, window: Day * 90),
        [ProhibitedClaim] = new(weight: 0.65, threshold: 1, minCount: 0, window: Day * 30),
        [ExaggeratedClaim] = new(weight: 0.2, threshold: 1, minCount: 0, window: Day * 30),
        [PriceDumping] = new(weight: 0.45, threshold: 0.3, minCount: 20, window: Day * 30),
        [ComplaintRate] = new(weight: 0.5, threshold: 0.2, minCount: 5, window: Day * 7),
        [BaitAndSwitch] = new(weight: 0.5, threshold: 0.3, minCount: 5, window: Day * 30),

        [ReviewVelocity] = new(weight: 0.3, threshold: 8, minCount: 0, window: Day),
        [UnverifiedShare] = new(weight: 0.2, threshold: 0.8, minCount: 3, window: Day * 30),
        [ExtremeRatings] = new(weight: 0.15, threshold: 0.9, minCount: 3, window: Day * 30),
        [SellerConcentration] = new(weight: 0.2, threshold: 0.8, minCount: 3, window: Day * 30),
        [Lockstep] = new(weight: 0.45, threshold: 2, minCount: 3, window: Hour * 2),
        [ReviewThenRefund] = new(weight: 0.25, threshold: 1, minCount: 0, window: Day * 30),
        [NearDuplicateText] = new(weight: 0.3, threshold: 2, minCount: 0, window: Day * 30),
        [NewAccount] = new(weight: 0.15, threshold: 0, minCount: 0, window: Day),

        // Weak, population-level evidence (most first reviews are honest): at most 20 and 3 points, never a step alone.
        [ThinHistory] = new(weight: 0.2, threshold: 6, minCount: 0, window: Day * 30),
        [RatingDeviation] = new(weight: 0.03, threshold: 1.0, minCount: 3, window: Day * 365),

        [Brushing] = new(weight: 0.55, threshold: 0.4, minCount: 10, window: Day * 30),
        [SelfLinkedOrders] = new(weight: 0.5, threshold: 3, minCount: 0, window: Day * 30),
        [SellerComplaintRate] = new(weight: 0.35, threshold: 0.15, minCount: 8, window: Day * 30),
        [CounterfeitReports] = new(weight: 0.4, threshold: 3, minCount: 0, window: Day * 90),
        [ListingsEnforced] = new(weight: 0.35, threshold: 1, minCount: 0, window: Day * 90),
        [ReviewManipulation] = new(weight: 0.35, threshold: 2, minCount: 0, window: Day * 30),
        [LinkedNetwork] = new(weight: 0.3, threshold: 5, minCount: 0, window: Day * 365),
        [LinkedToClosed] = new(weight: 0.5, threshold: 1, minCount: 0, window: Day * 365),
        [OnboardingVelocity] = new(weight: 0.25, threshold: 50, minCount: 0, window: Day),
    };
}
