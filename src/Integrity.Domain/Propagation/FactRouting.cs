using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.State;

namespace Integrity.Domain.Propagation;

/// <summary>
/// Who tells whom, once: after an entity applied an event or a fact, which facts go to which other entities. Pure
/// functions of the entity's new state and its level before; the caller delivers the facts (in order, each one's own
/// consequences before the next) and supplies what only it can look up (who shares an identifier).
/// </summary>
public static class FactRouting
{
    /// <summary>A listing that changed tells its seller where it stands now.</summary>
    public static void AfterListing(ListingState listing, List<Delivery> into)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(into);
        if (listing.SellerId is not { } sellerId) return;
        var enforcement = listing.Enforcement;
        var codes = new List<string>(enforcement.Reasons.Count);
        foreach (var reason in enforcement.Reasons)
        {
            if (reason.Weight > 0) codes.Add(reason.Code);
        }

        into.Add(new Delivery(EntityKind.Seller, sellerId, ListingOutcome: new ListingOutcomeFact(listing.ListingId, enforcement.Level, enforcement.Score, codes, listing.Clock ?? default)));
    }

    /// <summary>A reviewer whose level moved tells every listing it reviewed (each once, in the order first reviewed).</summary>
    public static void AfterReviewer(ReviewerState reviewer, int levelBefore, List<Delivery> into)
    {
        ArgumentNullException.ThrowIfNull(reviewer);
        ArgumentNullException.ThrowIfNull(into);
        if (reviewer.Enforcement.Level == levelBefore) return;
        var fact = new ReviewerRiskFact(reviewer.ReviewerId, reviewer.Enforcement.Level, reviewer.Enforcement.Score, reviewer.Clock ?? default);
        var told = new HashSet<string>(StringComparer.Ordinal);
        foreach (var review in reviewer.Reviews)
        {
            if (told.Add(review.ListingId)) into.Add(new Delivery(EntityKind.Listing, review.ListingId, ReviewerRisk: fact));
        }
    }

    /// <summary>
    /// A seller whose level moved tells every other seller sharing one of its identifiers, once per shared identifier.
    /// <paramref name="sellersSharing"/> gives the sellers that used an identifier (this one included, or not).
    /// </summary>
    public static void AfterSeller(SellerState seller, int levelBefore, Func<IdentifierHash, IReadOnlyList<string>> sellersSharing, List<Delivery> into)
    {
        ArgumentNullException.ThrowIfNull(seller);
        ArgumentNullException.ThrowIfNull(sellersSharing);
        ArgumentNullException.ThrowIfNull(into);
        if (seller.Enforcement.Level == levelBefore) return;
        foreach (var id in seller.Identifiers)
        {
            foreach (var other in sellersSharing(id))
            {
                if (other == seller.SellerId) continue;
                into.Add(new Delivery(EntityKind.Seller, other, LinkedSeller: new LinkedSellerFact(seller.SellerId, seller.Enforcement.Level, [id.Kind], seller.Clock ?? default)));
            }
        }
    }

    /// <summary>
    /// A review the reviewer applied for the first time tells the accounts that reviewed the same listing close in time
    /// (a redelivery must not add what the first delivery did not, so nothing goes out when <paramref name="firstSeen"/> is false).
    /// </summary>
    public static void AfterReview(ReviewPosted review, ReviewObservation observation, bool firstSeen, List<Delivery> into)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(into);
        if (!firstSeen) return;
        foreach (var other in observation.CoReviewerIds)
        {
            into.Add(new Delivery(EntityKind.Reviewer, other, CoReview: new CoReviewFact(review.ReviewerId, review.ListingId, review.OccurredAt)));
        }
    }

    /// <summary>
    /// A seller that registered or changed identifiers, and applied it, tells each seller it now shares identifiers
    /// with its level and the kinds they share.
    /// </summary>
    public static void AfterIdentity(string sellerId, int level, IReadOnlyDictionary<string, List<IdentifierKind>> shared, DateTimeOffset at, bool applied, List<Delivery> into)
    {
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(into);
        if (!applied) return;
        foreach (var (other, kinds) in shared)
        {
            into.Add(new Delivery(EntityKind.Seller, other, LinkedSeller: new LinkedSellerFact(sellerId, level, kinds, at)));
        }
    }
}
