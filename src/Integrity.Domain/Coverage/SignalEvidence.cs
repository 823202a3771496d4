using Integrity.Domain.Policy;
using static Integrity.Domain.Coverage.EvidenceSource;
using static Integrity.Domain.Policy.ReasonCodes;

namespace Integrity.Domain.Coverage;

/// <summary>
/// Which evidence each signal stands on: every source listed must be sent for the signal to count. Rate signals
/// need their denominator too: a complaint rate over orders the platform never sends divides by nothing.
/// </summary>
public static class SignalEvidence
{
    private static readonly Dictionary<string, EvidenceSource[]> Needs = new(StringComparer.Ordinal)
    {
        [ReviewBurst] = [Reviews],
        [ReviewAttack] = [Reviews],
        [RatingShift] = [Reviews],
        [SuspiciousReviewers] = [Reviews],
        [DuplicateReviewText] = [Reviews],
        [Counterfeit] = [Listings, BrandRegistrations],
        [UnauthorizedBrandUse] = [Listings, BrandRegistrations],
        [ReasonCodes.BrandReports] = [EvidenceSource.BrandReports],
        [ProhibitedClaim] = [Listings],
        [ExaggeratedClaim] = [Listings],
        [PriceDumping] = [Listings],
        [ComplaintRate] = [Complaints, Orders],
        [BaitAndSwitch] = [Listings, Reviews],

        [ReviewVelocity] = [Reviews],
        [UnverifiedShare] = [Reviews, VerifiedReviews],
        [ExtremeRatings] = [Reviews],
        [SellerConcentration] = [Reviews],
        [Lockstep] = [Reviews],
        [ReviewThenRefund] = [Reviews, Orders],
        [NearDuplicateText] = [Reviews],
        [NewAccount] = [Reviews, AccountAges],
        [ThinHistory] = [Reviews],
        [RatingDeviation] = [Reviews],

        [Brushing] = [Orders],
        [SelfLinkedOrders] = [Orders, SellerIdentifiers],
        [SellerComplaintRate] = [Complaints, Orders],
        [CounterfeitReports] = [EvidenceSource.BrandReports],
        [ListingsEnforced] = [],
        [ReviewManipulation] = [Reviews],
        [LinkedNetwork] = [SellerIdentifiers],
        [LinkedToClosed] = [SellerIdentifiers],
        [OnboardingVelocity] = [SellerRegistrations, Listings],
    };

    /// <summary>The sources <paramref name="code"/> needs (none for signals built only on other signals' outcomes).</summary>
    public static IReadOnlyList<EvidenceSource> For(string code) =>
        Needs.TryGetValue(code, out var sources) ? sources : throw new ArgumentOutOfRangeException(nameof(code), code, "Not a signal.");

    /// <summary>Whether <paramref name="code"/> is a signal this table knows.</summary>
    public static bool Knows(string code) => Needs.ContainsKey(code);

    /// <summary>What each source is, as the API and the reasons name it.</summary>
    public static string Describe(EvidenceSource source) => source switch
    {
        Reviews => "reviews",
        Orders => "order events",
        VerifiedReviews => "reviews naming the order they verify",
        Complaints => "complaints",
        Listings => "listing events",
        SellerRegistrations => "seller registrations",
        SellerIdentifiers => "seller identifiers",
        AccountAges => "account creation times on reviews",
        BrandRegistrations => "brand registrations",
        EvidenceSource.BrandReports => "brand owners' reports",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };
}
