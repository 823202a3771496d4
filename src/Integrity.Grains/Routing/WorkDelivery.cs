using Integrity.Contracts;
using Integrity.Domain.Events;
using Integrity.Domain.Propagation;

namespace Integrity.Grains.Routing;

/// <summary>
/// Runs a <see cref="WorkPlan"/> round by round: each round's grains are called in parallel and their notices become
/// later work. Used by the journal consumer for each row and by an entity grain to tell its neighbours about an
/// analyst's action. Work for <c>self</c> is applied through <c>applySelf</c> instead of a
/// grain call, because a grain calling itself mid-request would wait on itself. <c>onTouched</c> hears of each
/// grain before it is called (the consumer marks it dirty so a checkpoint taken meanwhile flushes it); <c>rowFor</c>
/// stamps each delivery with its journal row (Checkpoints/README.md).
/// </summary>
public static class WorkDelivery
{
    public const int MaxRounds = 12;

    /// <summary>The rejection of an event older than an entity's idempotency memory: other entities may still apply it.</summary>
    public const string TooLateCode = "TOO_LATE";

    public sealed class Totals
    {
        public long Applied { get; set; }

        public long Duplicates { get; set; }

        public List<RejectedEvent> Rejected { get; } = [];

        public HashSet<EntityRef> Touched { get; } = [];

        /// <summary>Entities that refused their work for a gap in the rows they hold (the caller replays).</summary>
        public HashSet<EntityRef> Gaps { get; } = [];

        public bool Exhausted { get; set; }
    }

    /// <summary>A fact the domain routed (<see cref="Delivery"/>) as a notice, placed right after its cause.</summary>
    public static Notice ToNotice(Delivery fact, string? causeEventId) =>
        new(new EntityRef(fact.TargetKind, fact.TargetId), new WorkItem(
            ReviewerRisk: fact.ReviewerRisk, ListingOutcome: fact.ListingOutcome, LinkedSeller: fact.LinkedSeller, CoReview: fact.CoReview, CauseEventId: causeEventId));

    public static async Task<Totals> RunAsync(
        IGrainFactory grains,
        WorkPlan plan,
        Action<EntityRef>? onTouched = null,
        EntityRef? self = null,
        Func<EntityWork, Task<WorkResult>>? applySelf = null,
        Func<EntityRef, JournalRow>? rowFor = null)
    {
        var totals = new Totals();
        for (var round = 0; plan.HasWork; round++)
        {
            if (round == MaxRounds)
            {
                totals.Exhausted = true;
                break;
            }

            var work = plan.NextRound();
            foreach (var (entity, _) in work)
            {
                totals.Touched.Add(entity);
                onTouched?.Invoke(entity);
            }

            var results = await Task.WhenAll(work.Select(w => w.Entity == self && applySelf is not null
                ? applySelf(w.Work)
                : WorkPlan.Grain(grains, w.Entity).ApplyAsync(rowFor is null ? w.Work : w.Work with { Row = rowFor(w.Entity) })));
            for (var i = 0; i < results.Length; i++)
            {
                var result = results[i];
                if (result.Gap is not null)
                {
                    totals.Gaps.Add(work[i].Entity);
                }

                totals.Applied += result.Applied;
                totals.Duplicates += result.Duplicates;
                totals.Rejected.AddRange(result.Rejected);
                plan.AddNotices(result.Notices);
            }

            // An event refused as impossible is applied by no other entity either (a too-late one still may be).
            plan.Drop(results.SelectMany(r => r.Rejected).Where(r => r.Code != TooLateCode).Select(r => r.EventId).ToHashSet(StringComparer.Ordinal));
        }

        return totals;
    }
}
