using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Signals.Reviewer;
using Integrity.Domain.State;
using Integrity.Domain.Text;

namespace Integrity.Domain.Rules;

/// <summary>Pure functions the reviewer (customer account) grain calls. None mutates its input state, unless told the caller owns it.</summary>
public static class ReviewerRules
{
    /// <summary>Applies a review or an order event of this customer. For a review, pass the listing's <see cref="ReviewObservation"/> as context.</summary>
    /// <param name="owned">The caller owns <paramref name="state"/>: it is changed in place (see <see cref="EntityRunner.Apply{T}"/>).</param>
    public static ApplyResult<ReviewerState> Apply(ReviewerState state, IntegrityEvent e, ReviewerContext context, PolicyOptions policy, bool owned = false) =>
        EntityRunner.Apply(state, e, policy, next => Record(next, e, context, policy), Evaluate, owned);

    /// <summary>Another account reviewed a listing this one reviewed, close in time (sent to the earlier reviewer). Unchanged if already known.</summary>
    /// <param name="owned">The caller owns <paramref name="state"/>: it is changed in place (see <see cref="EntityRunner.Apply{T}"/>).</param>
    public static ApplyResult<ReviewerState> ObserveCoReview(ReviewerState state, CoReviewFact fact, PolicyOptions policy, bool owned = false)
    {
        // Checked before anything is built or written: most co-reviews of a popular listing are already known.
        if (fact.OtherReviewerId == state.ReviewerId || !AddsCoReview(state, fact.OtherReviewerId, fact.ListingId)) return EntityRunner.Unchanged(state, ApplyStatus.Duplicate, policy);
        return RecordCoReview(state, fact, policy, owned);
    }

    /// <summary>Apart from the check, so the closure over the fact is allocated only for a co-review that is new.</summary>
    private static ApplyResult<ReviewerState> RecordCoReview(ReviewerState state, CoReviewFact fact, PolicyOptions policy, bool owned) =>
        EntityRunner.Observe(state, fact.At, TriggeringId.Deferred(fact, CoReviewId), policy,
            next => AddCoReview(next, fact.OtherReviewerId, fact.ListingId, fact.At), Evaluate, owned);

    /// <summary>The triggering id of a <see cref="CoReviewFact"/>, written only for a decision (<see cref="TriggeringId"/>).</summary>
    private static string CoReviewId(object source)
    {
        var fact = (CoReviewFact)source;
        return $"co-review/{fact.OtherReviewerId}/{fact.ListingId}";
    }

    /// <summary>The candidate policy's would-be decision on the facts the state holds, on its own ladder (see <see cref="EntityRunner.Shadow{T}"/>).</summary>
    public static Decision? Shadow(ReviewerState state, ShadowLadder shadow, string triggeringId, DateTimeOffset now, PolicyOptions candidate) =>
        EntityRunner.Shadow(state, shadow.Enforcement, triggeringId, now, candidate, Evaluate);

    public static ApplyResult<ReviewerState> Reassess(ReviewerState state, DateTimeOffset now, PolicyOptions policy) =>
        EntityRunner.Observe(state, now, $"reassess/{now:yyyyMMddTHHmmssfff}", policy, _ => true, Evaluate);

    private static Evaluation Evaluate(ReviewerState s, DateTimeOffset now, PolicyOptions policy) => new(ReviewerSignals.Evaluate(s, now, policy));

    private static void Record(ReviewerState s, IntegrityEvent e, ReviewerContext context, PolicyOptions policy)
    {
        switch (e)
        {
            case ReviewPosted review when review.ReviewerId == s.ReviewerId:
                RecordReview(s, review, context, policy);
                break;
            case OrderEvent order when order.BuyerId == s.ReviewerId:
                RecordOrder(s, order);
                break;
        }
    }

    private static void RecordReview(ReviewerState s, ReviewPosted e, ReviewerContext context, PolicyOptions policy)
    {
        var (hash, length) = ReviewText.Of(e);
        var review = new ReviewerReview(e.EventId, e.ReviewId, e.ListingId, e.SellerId, e.Rating, e.OccurredAt, e.IsVerified, hash, length, e.OrderId, context.ListingMeanRating, context.ListingRatingCount);

        if (length >= policy.Text.NearDuplicateMinLength)
        {
            var ownDuplicate = s.Reviews.Any(r => r.ListingId != e.ListingId && r.TextLength >= policy.Text.NearDuplicateMinLength
                && SimHash.Distance(r.TextHash, hash) <= policy.Text.NearDuplicateMaxDistance);
            if (ownDuplicate) AddHit(s, new DuplicateTextHit(e.EventId, e.ListingId, null, e.OccurredAt));
            foreach (var other in context.DuplicateTextReviewerIds ?? []) AddHit(s, new DuplicateTextHit(e.EventId, e.ListingId, other, e.OccurredAt));
        }

        BoundedLists.InsertByTime(s.Reviews, review, r => r.At, ReviewerState.MaxReviews);
        if (e.AccountCreatedAt is { } created) s.AccountCreatedAt = created;
        if (s.FirstReviewAt is null || e.OccurredAt < s.FirstReviewAt) (s.FirstReviewAt, s.FirstReviewEventId) = (e.OccurredAt, e.EventId);
        foreach (var other in context.CoReviewerIds ?? []) AddCoReview(s, other, e.ListingId, e.OccurredAt);
    }

    private static void AddHit(ReviewerState s, DuplicateTextHit hit)
    {
        if (s.DuplicateHits.Any(h => h.EventId == hit.EventId && h.OtherReviewerId == hit.OtherReviewerId)) return;
        BoundedLists.InsertByTime(s.DuplicateHits, hit, h => h.At, ReviewerState.MaxDuplicateHits);
    }

    /// <summary>Order events update one record per order; a refund may arrive before the order it refunds.</summary>
    private static void RecordOrder(ReviewerState s, OrderEvent e)
    {
        var i = IndexOfOrder(s.Orders, e.OrderId);
        var order = i >= 0 ? s.Orders[i] : new ReviewerOrder(e.OrderId, e.ListingId, e.SellerId, null, null, null, e.EventId);
        order = e switch
        {
            OrderPlaced => order with { PlacedAt = e.OccurredAt },
            OrderRefunded => order with { RefundedAt = e.OccurredAt, LastEventId = e.EventId },
            OrderCancelled => order with { CancelledAt = e.OccurredAt, LastEventId = e.EventId },
            _ => order,
        };
        if (i >= 0) s.Orders[i] = order;
        else BoundedLists.InsertByTime(s.Orders, order, o => o.PlacedAt ?? o.RefundedAt ?? o.CancelledAt ?? e.OccurredAt, ReviewerState.MaxOrders);
    }

    /// <summary>
    /// The order's record: an order has at most one (<see cref="RecordOrder"/> adds one only when none is found), so
    /// the search starts from the newest, where an order's later events find theirs (not FindIndex with a closure).
    /// </summary>
    private static int IndexOfOrder(List<ReviewerOrder> orders, string orderId)
    {
        for (var i = orders.Count - 1; i >= 0; i--)
        {
            if (orders[i].OrderId == orderId) return i;
        }

        return -1;
    }

    /// <summary>Whether <see cref="AddCoReview"/> would record the listing for the partner (it returns exactly this).</summary>
    private static bool AddsCoReview(ReviewerState s, string other, string listingId) =>
        !s.CoReviewers.TryGetValue(other, out var listings) || (!listings.Contains(listingId) && listings.Count < ReviewerState.MaxSharedListings);

    private static bool AddCoReview(ReviewerState s, string other, string listingId, DateTimeOffset at)
    {
        if (other == s.ReviewerId) return false;
        if (!s.CoReviewers.TryGetValue(other, out var listings)) s.CoReviewers[other] = listings = [];
        s.CoReviewerSeen[other] = BoundedLists.Later(s.CoReviewerSeen.GetValueOrDefault(other), at);
        if (listings.Contains(listingId) || listings.Count >= ReviewerState.MaxSharedListings) return false;
        listings.Add(listingId);

        if (s.CoReviewers.Count > ReviewerState.MaxCoReviewers)
        {
            // Forget the partner with the weakest, oldest evidence.
            var drop = s.CoReviewers.OrderBy(kv => kv.Value.Count).ThenBy(kv => s.CoReviewerSeen.GetValueOrDefault(kv.Key)).First().Key;
            s.CoReviewers.Remove(drop);
            s.CoReviewerSeen.Remove(drop);
        }

        return true;
    }
}
