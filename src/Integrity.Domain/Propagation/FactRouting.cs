using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.State;

namespace Integrity.Domain.Propagation;

/// <summary>
/// Who tells whom, once, for the replay and the grains alike: after an entity took an event or a fact, which facts go
/// to which other entities. Pure functions of the entity's new state and its level before; the caller loads what only
/// it can look up (who shares an identifier) and delivers the facts (the replay in order, each one's consequences
/// before the next; the grains in rounds). Every receiver drops a fact it already knows, so sending one again is safe.
/// </summary>
public static class FactRouting
{
    /// <summary>
    /// Whether an entity routes facts after an item: after every event delivered to it, also one it had applied
    /// already (a redelivery after a crash must reach the entities that lost what the first delivery told them; they
    /// drop what they know), and after a fact that changed it.
    /// </summary>
    public static bool Routes(ApplyStatus status, bool isEvent) => status == ApplyStatus.Applied || (isEvent && status == ApplyStatus.Duplicate);

    /// <summary>
    /// A listing tells its seller where it stands now, after every change: the seller drops it when it knows the level
    /// and reason codes already (a change of reasons at the same level and score reaches it too).
    /// </summary>
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

    /// <summary>
    /// A reviewer whose level moved tells every listing it reviewed (each once, in the order first reviewed). One whose
    /// level did not move but is flagged tells the listing of the review it just took (<paramref name="reviewed"/>):
    /// a listing judges a review with the reviewer level it was told, never by asking, so a flagged reviewer's review
    /// of a new listing is weighed one fact later.
    /// </summary>
    public static void AfterReviewer(ReviewerState reviewer, int levelBefore, ReviewPosted? reviewed, List<Delivery> into)
    {
        ArgumentNullException.ThrowIfNull(reviewer);
        ArgumentNullException.ThrowIfNull(into);
        var level = reviewer.Enforcement.Level;
        if (level == levelBefore && (level == 0 || reviewed is null)) return;
        var fact = new ReviewerRiskFact(reviewer.ReviewerId, level, reviewer.Enforcement.Score, reviewer.Clock ?? default);
        if (level == levelBefore)
        {
            into.Add(new Delivery(EntityKind.Listing, reviewed!.ListingId, ReviewerRisk: fact));
            return;
        }

        var told = new HashSet<string>(StringComparer.Ordinal);
        foreach (var review in reviewer.Reviews)
        {
            if (told.Add(review.ListingId)) into.Add(new Delivery(EntityKind.Listing, review.ListingId, ReviewerRisk: fact));
        }
    }

    /// <summary>Whether <see cref="AfterSeller"/> sends anything, so a caller looks up who shares the identifiers only then.</summary>
    public static bool TellsLinkedSellers(SellerState seller, int levelBefore)
    {
        ArgumentNullException.ThrowIfNull(seller);
        return seller.Enforcement.Level != levelBefore && seller.Identifiers.Count > 0;
    }

    /// <summary>
    /// A seller whose level moved tells every other seller sharing one of its identifiers, strong or weak, once per
    /// shared identifier (the receiver keeps each linked seller's level, which analysts see, and only strong links
    /// count in its signals). <paramref name="sellersSharing"/> gives the sellers that used an identifier (this one
    /// included, or not).
    /// </summary>
    public static void AfterSeller(SellerState seller, int levelBefore, Func<IdentifierHash, IReadOnlyList<string>> sellersSharing, List<Delivery> into)
    {
        ArgumentNullException.ThrowIfNull(seller);
        ArgumentNullException.ThrowIfNull(sellersSharing);
        ArgumentNullException.ThrowIfNull(into);
        if (!TellsLinkedSellers(seller, levelBefore)) return;
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
    /// A review delivered to its reviewer tells the accounts that reviewed the same listing close in time
    /// (<paramref name="coReviewerIds"/>, what the listing observed), each right after the review. Sent on every
    /// delivery, a redelivery too: a co-reviewer that knows the pair drops it.
    /// </summary>
    public static void AfterReview(ReviewPosted review, IReadOnlyList<string>? coReviewerIds, List<Delivery> into)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(into);
        foreach (var other in coReviewerIds ?? [])
        {
            into.Add(new Delivery(EntityKind.Reviewer, other, CoReview: new CoReviewFact(review.ReviewerId, review.ListingId, review.OccurredAt)));
        }
    }

    /// <summary>
    /// A seller that registered or changed identifiers tells each seller it now shares identifiers with its level and
    /// the kinds they share.
    /// </summary>
    public static void AfterIdentity(string sellerId, int level, IReadOnlyDictionary<string, List<IdentifierKind>> shared, DateTimeOffset at, List<Delivery> into)
    {
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(into);
        foreach (var (other, kinds) in shared)
        {
            into.Add(new Delivery(EntityKind.Seller, other, LinkedSeller: new LinkedSellerFact(sellerId, level, kinds, at)));
        }
    }
}
