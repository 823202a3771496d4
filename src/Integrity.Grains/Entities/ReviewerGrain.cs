using Integrity.Contracts;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Propagation;
using Integrity.Domain.Rules;
using Integrity.Domain.State;
using Integrity.Grains.Checkpoints;
using Integrity.Grains.Decisions;
using Integrity.Grains.Policy;
using Microsoft.Extensions.Logging;

namespace Integrity.Grains.Entities;

/// <summary>
/// A customer account. Reviews arrive with what their listing observed (the listing tells the co-reviewers); it tells
/// every listing it reviewed when its level changes, and, flagged, each listing it newly reviews (<see cref="FactRouting"/>).
/// </summary>
[Orleans.Placement.Immovable] // as SellerGrain: state only ever from storage
public sealed class ReviewerGrain(
    [PersistentState("reviewer")] IPersistentState<EntityRecord<ReviewerState>> state,
    IDecisionSink decisions,
    IPolicyProvider policy,
    TimeProvider time,
    ILogger<ReviewerGrain> logger) : EntityGrain<ReviewerState>(state, decisions, policy, time, logger), IReviewerGrain
{
    protected override ReviewerState Create(string id) => ReviewerState.Create(id);

    protected override ValueTask<ApplyResult<ReviewerState>> ApplyItemAsync(WorkItem item, WorkBatch batch) => ValueTask.FromResult(item switch
    {
        { Event: ReviewPosted review } => ReviewerRules.Apply(State, review, item.ReviewerContext ?? ReviewerContext.None, Policy, owned: true),
        { Event: { } other } => ReviewerRules.Apply(State, other, ReviewerContext.None, Policy, owned: true),
        { CoReview: { } co } => ReviewerRules.ObserveCoReview(State, co, Policy, owned: true),
        _ => throw new ArgumentException("A reviewer takes events and co-review facts only.", nameof(item)),
    });

    protected override ValueTask RouteFactsAsync(WorkItem? item, int levelBefore, List<Delivery> into)
    {
        FactRouting.AfterReviewer(State, levelBefore, item?.Event as ReviewPosted, into);
        return ValueTask.CompletedTask;
    }

    protected override IEnumerable<LinkedEntity> Links() =>
        State.Reviews.GroupBy(r => r.SellerId, StringComparer.Ordinal).Take(100)
            .SelectMany(g => g.Select(r => new LinkedEntity("listing", r.ListingId, "reviewed", null)).Prepend(new LinkedEntity("seller", g.Key, "reviewed seller", null)))
            .DistinctBy(l => (l.Kind, l.Id));

    protected override ApplyResult<ReviewerState> Reassess(ReviewerState state, DateTimeOffset now) => ReviewerRules.Reassess(state, now, Policy);

    protected override Decision? Shadow(ReviewerState state, ShadowLadder shadow, string triggeringId, DateTimeOffset now, PolicyOptions candidate) =>
        ReviewerRules.Shadow(state, shadow, triggeringId, now, candidate);
}
