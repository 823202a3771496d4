namespace Integrity.Domain.Policy;

/// <summary>
/// Every signal's reason code. Codes are stable public identifiers (audit, dashboards, policy keys): never rename.
/// What each rule's Threshold, MinCount and Window mean is documented per code.
/// </summary>
public static class ReasonCodes
{
    // Listing
    /// <summary>Positive-leaning reviews in Window vs the EWMA baseline: z ≥ Threshold and count ≥ MinCount.</summary>
    public const string ReviewBurst = "REVIEW_BURST";

    /// <summary>The same burst test for negative-leaning reviews: the listing is a target, not a culprit (weight 0 by default).</summary>
    public const string ReviewAttack = "REVIEW_ATTACK";

    /// <summary>Total-variation distance ≥ Threshold between rating histograms of the last Window and before; MinCount on each side.</summary>
    public const string RatingShift = "RATING_SHIFT";

    /// <summary>Share ≥ Threshold of positive reviews in Window from reviewers at DownWeighted or above; at least MinCount of them.</summary>
    public const string SuspiciousReviewers = "SUSPICIOUS_REVIEWERS";

    /// <summary>Share ≥ Threshold of positive reviews in Window near-duplicating another reviewer's; at least MinCount of them.</summary>
    public const string DuplicateReviewText = "DUPLICATE_REVIEW_TEXT";

    /// <summary>Brand keyword, seller neither authorized nor official store, price ≤ Threshold × the brand's reference.</summary>
    public const string Counterfeit = "COUNTERFEIT";

    /// <summary>Brand keyword used by a seller the brand did not authorize, at a normal price (weak on its own).</summary>
    public const string UnauthorizedBrandUse = "UNAUTHORIZED_BRAND_USE";

    /// <summary>Counterfeit or trademark reports from brand owners in Window ≥ Threshold.</summary>
    public const string BrandReports = "BRAND_REPORTS";

    /// <summary>Prohibited (medical, health) claim phrases in title or description ≥ Threshold.</summary>
    public const string ProhibitedClaim = "PROHIBITED_CLAIM";

    /// <summary>Exaggerated promise phrases in title or description ≥ Threshold.</summary>
    public const string ExaggeratedClaim = "EXAGGERATED_CLAIM";

    /// <summary>Price ≤ Threshold × the category median, the median known from at least MinCount prices.</summary>
    public const string PriceDumping = "PRICE_DUMPING";

    /// <summary>Complaints in Window ≥ MinCount and ≥ Threshold × orders in the last 30 days.</summary>
    public const string ComplaintRate = "COMPLAINT_RATE";

    /// <summary>Title rewritten (word overlap ≤ Threshold) or category changed, in Window, after ≥ MinCount reviews.</summary>
    public const string BaitAndSwitch = "BAIT_AND_SWITCH";

    // Reviewer
    /// <summary>Reviews in Window ≥ Threshold.</summary>
    public const string ReviewVelocity = "REVIEW_VELOCITY";

    /// <summary>Share ≥ Threshold of reviews in Window without a verified order; at least MinCount reviews.</summary>
    public const string UnverifiedShare = "UNVERIFIED_SHARE";

    /// <summary>
    /// Share ≥ Threshold of 1- or 5-star reviews in Window over at least MinCount reviews: full weight. Below that, graded
    /// for thin accounts only: min(1, share / Threshold) × min(1, reviews / MinCount) × THIN_HISTORY's thinness.
    /// </summary>
    public const string ExtremeRatings = "EXTREME_RATINGS";

    /// <summary>Share ≥ Threshold of reviews in Window on one seller; at least MinCount reviews.</summary>
    public const string SellerConcentration = "SELLER_CONCENTRATION";

    /// <summary>≥ Threshold other accounts each reviewed ≥ MinCount of the same listings within Window of this account.</summary>
    public const string Lockstep = "LOCKSTEP";

    /// <summary>Orders refunded within Window after a positive review of the same listing ≥ Threshold.</summary>
    public const string ReviewThenRefund = "REVIEW_THEN_REFUND";

    /// <summary>Reviews in Window near-duplicating the account's own reviews on other listings, or other accounts' reviews, ≥ Threshold.</summary>
    public const string NearDuplicateText = "NEAR_DUPLICATE_TEXT";

    /// <summary>First review posted less than Window after the account was created.</summary>
    public const string NewAccount = "NEW_ACCOUNT";

    /// <summary>
    /// Little history: establishment = log2(reviews) + log2(1 + activity span / Window) below Threshold. The activity span
    /// runs from the first review (or the account's creation, when known) to the latest review. The weight scales with
    /// how thin the history is: full for a first review, nothing at Threshold.
    /// </summary>
    public const string ThinHistory = "THIN_HISTORY";

    /// <summary>
    /// Mean |rating − the listing's average before the review| over the account's reviews in Window of listings that had
    /// at least MinCount earlier ratings. Graded, not tripped: any deviation d counts, with weight × d / (d + Threshold)
    /// (half at Threshold stars), so accounts rank by how far their ratings stray instead of tying below a cut.
    /// </summary>
    public const string RatingDeviation = "RATING_DEVIATION";

    // Seller
    /// <summary>Share ≥ Threshold of orders in Window that are suspect (repeat buyer with refund/cancel, or self-linked); at least MinCount orders.</summary>
    public const string Brushing = "BRUSHING";

    /// <summary>Orders in Window whose buyer, ship-to or payment matches the seller's own identifiers ≥ Threshold.</summary>
    public const string SelfLinkedOrders = "SELF_LINKED_ORDERS";

    /// <summary>Complaints in Window ≥ MinCount and ≥ Threshold × orders in Window.</summary>
    public const string SellerComplaintRate = "SELLER_COMPLAINT_RATE";

    /// <summary>Counterfeit/trademark brand reports plus counterfeit complaints in Window ≥ Threshold.</summary>
    public const string CounterfeitReports = "COUNTERFEIT_REPORTS";

    /// <summary>Listings of the seller at Suppressed or Removed ≥ Threshold.</summary>
    public const string ListingsEnforced = "LISTINGS_ENFORCED";

    /// <summary>Listings of the seller with review-manipulation reasons in Window ≥ Threshold.</summary>
    public const string ReviewManipulation = "REVIEW_MANIPULATION";

    /// <summary>Other sellers sharing a strong identifier (bank, tax id, device, phone, email) ≥ Threshold.</summary>
    public const string LinkedNetwork = "LINKED_NETWORK";

    /// <summary>A seller sharing a strong identifier was Closed: at least PayoutsHeld regardless of score.</summary>
    public const string LinkedToClosed = "LINKED_TO_CLOSED";

    /// <summary>Listings created in Window ≥ Threshold while the seller is less than 7 days old.</summary>
    public const string OnboardingVelocity = "ONBOARDING_VELOCITY";

    /// <summary>Not a signal: the credit record (decayed penalty points, prior offenses) raising a new offense's score.</summary>
    public const string CreditRecord = "CREDIT_RECORD";

    public static IReadOnlyList<string> Listing { get; } =
    [
        ReviewBurst, ReviewAttack, RatingShift, SuspiciousReviewers, DuplicateReviewText, Counterfeit, UnauthorizedBrandUse,
        BrandReports, ProhibitedClaim, ExaggeratedClaim, PriceDumping, ComplaintRate, BaitAndSwitch,
    ];

    public static IReadOnlyList<string> Reviewer { get; } =
    [
        ReviewVelocity, UnverifiedShare, ExtremeRatings, SellerConcentration, Lockstep, ReviewThenRefund, NearDuplicateText, NewAccount,
        ThinHistory, RatingDeviation,
    ];

    public static IReadOnlyList<string> Seller { get; } =
    [
        Brushing, SelfLinkedOrders, SellerComplaintRate, CounterfeitReports, ListingsEnforced, ReviewManipulation, LinkedNetwork,
        LinkedToClosed, OnboardingVelocity,
    ];

    /// <summary>Every configurable signal (CREDIT_RECORD is configured under Credit, not as a signal).</summary>
    public static IReadOnlyList<string> AllSignals { get; } = [.. Listing, .. Reviewer, .. Seller];

    /// <summary>Listing reasons that mean someone is inflating the listing's reviews (the seller benefits).</summary>
    public static IReadOnlyList<string> ReviewManipulationCodes { get; } = [ReviewBurst, SuspiciousReviewers, DuplicateReviewText, RatingShift];
}
