namespace Integrity.Domain.Coverage;

/// <summary>
/// A kind of evidence a platform may or may not send. A signal built on a source the platform never sends would
/// either never fire (harmless) or, worse, read the silence as a finding: without orders every review is
/// "unverified". <see cref="SignalEvidence"/> says which signal needs which source.
/// </summary>
public enum EvidenceSource
{
    /// <summary>Review events.</summary>
    Reviews,

    /// <summary>Order events (placed, cancelled, refunded, delivered).</summary>
    Orders,

    /// <summary>Complaint events.</summary>
    Complaints,

    /// <summary>Listing events (created, updated): titles, descriptions, prices, categories.</summary>
    Listings,

    /// <summary>Seller registrations: when a store opened.</summary>
    SellerRegistrations,

    /// <summary>Seller events carrying identifiers (bank, tax id, device, phone, email, address).</summary>
    SellerIdentifiers,

    /// <summary>Reviews carrying the account's creation time.</summary>
    AccountAges,

    /// <summary>Brand registrations: owners, authorized sellers, reference prices.</summary>
    BrandRegistrations,

    /// <summary>Counterfeit and trademark reports from brand owners.</summary>
    BrandReports,

    /// <summary>
    /// Reviews naming the order they verify: what makes a review "verified". A platform may send order events and still
    /// never link a review to its order; every review would then look unverified.
    /// </summary>
    VerifiedReviews,
}
