using Integrity.Contracts;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Propagation;
using Integrity.Domain.Rules;
using Integrity.Domain.State;
using Integrity.Grains.Checkpoints;
using Integrity.Grains.Consumers;
using Integrity.Grains.Decisions;
using Integrity.Grains.Policy;
using Integrity.Grains.Routing;
using Microsoft.Extensions.Logging;

namespace Integrity.Grains.Entities;

/// <summary>
/// A listing: reviews, orders, complaints, content. It fetches its brand and category context from helper grains,
/// and tells each review's reviewer what it saw (co-reviewers, copied text), and its seller how it now stands.
/// </summary>
[Orleans.Placement.Immovable] // as SellerGrain: state only ever from storage
public sealed class ListingGrain(
    [PersistentState("listing")] IPersistentState<EntityRecord<ListingState>> state,
    IDecisionSink decisions,
    IPolicyProvider policy,
    TimeProvider time,
    ILogger<ListingGrain> logger) : EntityGrain<ListingState>(state, decisions, policy, time, logger), IListingGrain
{
    protected override ListingState Create(string id) => ListingState.Create(id);

    protected override (string Code, string Reason)? Validate(IntegrityEvent e)
    {
        var seller = e switch
        {
            ReviewPosted r => r.SellerId,
            OrderEvent o => o.SellerId,
            ComplaintFiled c => c.SellerId,
            ListingEvent l => l.SellerId,
            _ => null,
        };
        return State.SellerId is { } owner && seller is not null && seller != owner
            ? ("SELLER_MISMATCH", $"{e.TypeName} names seller {seller} for listing {Id}, which belongs to seller {owner}")
            : null;
    }

    protected override async ValueTask<ApplyResult<ListingState>> ApplyItemAsync(WorkItem item, WorkBatch batch)
    {
        switch (item)
        {
            case { Event: ListingEvent listing }:
                var brands = await GrainFactory.GetGrain<IBrandDirectoryGrain>(PartitionConsumerGrain.BrandDirectoryKey)
                    .ResolveAsync(listing.BrandId, listing.Title, listing.Description);
                var prices = item.CategoryPrices ?? (await GrainFactory.GetGrain<ICategoryGrain>(listing.CategoryId).ObserveAsync([listing]))[0];
                return ListingRules.Apply(State, listing, new ListingContext(brands, prices), Policy, owned: true);

            case { Event: ReviewPosted review }:
                var seen = ListingRules.ObserveReview(State, review, Policy);
                var result = ListingRules.Apply(State, review, ListingContext.None, Policy, owned: true);
                // The review reaches its reviewer through the listing, with what the listing saw, and its co-reviewers
                // in the same round; forwarded even when this listing had it already: after a crash the reviewer may not have.
                batch.Notices.Add(new Notice(new EntityRef(EntityKind.Reviewer, review.ReviewerId),
                    new WorkItem(Event: review, ReviewerContext: ReviewerContext.From(seen))));
                var coReviews = new List<Delivery>(seen.CoReviewerIds.Count);
                FactRouting.AfterReview(review, seen.CoReviewerIds, coReviews);
                batch.Notices.AddRange(coReviews.Select(fact => WorkDelivery.ToNotice(fact, review.EventId)));
                return result;

            case { Event: OrderEvent order }:
                // A listing not yet judged against a category with a history gets the category's current prices with its orders.
                var current = ListingRules.WantsCategoryPrices(State, Policy)
                    ? new ListingContext(CategoryPrices: await GrainFactory.GetGrain<ICategoryGrain>(State.CategoryId).SnapshotAsync(State.Currency))
                    : ListingContext.None;
                return ListingRules.Apply(State, order, current, Policy, owned: true);

            case { Event: { } other }:
                return ListingRules.Apply(State, other, ListingContext.None, Policy, owned: true);

            case { ReviewerRisk: { } risk }:
                return ListingRules.ObserveReviewerRisk(State, risk, Policy, owned: true);

            default:
                throw new ArgumentException("A listing takes events and reviewer-risk facts only.", nameof(item));
        }
    }

    protected override ValueTask RouteFactsAsync(WorkItem? item, int levelBefore, List<Delivery> into)
    {
        FactRouting.AfterListing(State, into);
        return ValueTask.CompletedTask;
    }

    protected override IEnumerable<LinkedEntity> Links()
    {
        if (State.SellerId is { } seller)
        {
            yield return new LinkedEntity("seller", seller, "seller", null);
        }

        foreach (var reviewer in State.Reviews.Select(r => r.ReviewerId).Distinct(StringComparer.Ordinal).Take(100))
        {
            yield return new LinkedEntity("reviewer", reviewer, "reviewer", State.FlaggedReviewers.TryGetValue(reviewer, out var level) ? level : null);
        }
    }

    protected override ApplyResult<ListingState> Reassess(ListingState state, DateTimeOffset now) => ListingRules.Reassess(state, now, Policy);

    protected override Decision? Shadow(ListingState state, ShadowLadder shadow, string triggeringId, DateTimeOffset now, PolicyOptions candidate) =>
        ListingRules.Shadow(state, shadow, triggeringId, now, candidate);
}
