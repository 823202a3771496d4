using Integrity.Contracts;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.State;
using Integrity.Grains.Checkpoints;
using Integrity.Grains.Decisions;
using Integrity.Grains.Policy;
using Microsoft.Extensions.Logging;

namespace Integrity.Grains.Entities;

/// <summary>
/// A customer account. Reviews arrive with what their listing observed; when its level changes it tells every
/// listing it reviewed, and a flagged reviewer tells each listing it newly reviews.
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
        { CoReview: { } co } => ReviewerRules.ObserveCoReview(State, co, Policy),
        _ => throw new ArgumentException("A reviewer takes events and co-review facts only.", nameof(item)),
    });

    /// <summary>A level change goes to every listing reviewed; a flagged reviewer also tells the listing it just reviewed.</summary>
    protected override Task AfterItemAsync(WorkItem? item, int levelBefore, double scoreBefore, WorkBatch batch)
    {
        var enforcement = State.Enforcement;
        IEnumerable<string> listings = enforcement.Level != levelBefore
            ? State.Reviews.Select(r => r.ListingId).Distinct(StringComparer.Ordinal)
            : enforcement.Level > 0 && item?.Event is ReviewPosted review ? [review.ListingId] : [];
        var fact = new ReviewerRiskFact(Id, enforcement.Level, enforcement.Score, State.Clock ?? default);
        batch.Notices.AddRange(listings.Select(l => new Notice(new EntityRef(EntityKind.Listing, l), new WorkItem(ReviewerRisk: fact, CauseEventId: CauseOf(item)))));
        return Task.CompletedTask;
    }

    protected override IEnumerable<LinkedEntity> Links() =>
        State.Reviews.GroupBy(r => r.SellerId, StringComparer.Ordinal).Take(100)
            .SelectMany(g => g.Select(r => new LinkedEntity("listing", r.ListingId, "reviewed", null)).Prepend(new LinkedEntity("seller", g.Key, "reviewed seller", null)))
            .DistinctBy(l => (l.Kind, l.Id));

    protected override ApplyResult<ReviewerState> Reassess(ReviewerState state, DateTimeOffset now) => ReviewerRules.Reassess(state, now, Policy);

    protected override Decision? Shadow(ReviewerState state, ShadowLadder shadow, string triggeringId, DateTimeOffset now, PolicyOptions candidate) =>
        ReviewerRules.Shadow(state, shadow, triggeringId, now, candidate);
}
