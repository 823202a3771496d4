using Integrity.Contracts;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;

namespace Integrity.Grains.Routing;

/// <summary>
/// The work of one journal row, delivered in rounds. Each round takes the pending work of the first entity kind
/// in <see cref="Priority"/> that has any: listings before reviewers (a review's reviewer needs what the listing
/// observed), reviewers before listings again (risk facts), everything before sellers (which weigh their listings),
/// sellers last (linked sellers inform each other). Notices from a round become work for later rounds.
/// Within an entity, items keep journal order; facts follow the events that caused them.
/// </summary>
public sealed class WorkPlan
{
    public static readonly EntityKind[] Priority = [EntityKind.Listing, EntityKind.Reviewer, EntityKind.Seller];

    private readonly Dictionary<EntityRef, List<(long Order, long Tie, WorkItem Item)>> _pending = [];
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
    private long _factOrder = long.MaxValue / 2;
    private long _tieBreak;

    /// <param name="categoryPrices">The category median right after each listing event (by event id), observed in row order.</param>
    public WorkPlan(IReadOnlyList<IntegrityEvent> events, IReadOnlyDictionary<string, CategoryPriceSnapshot?>? categoryPrices = null)
    {
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            _positions.TryAdd(e.EventId, i);
            foreach (var entity in e.TouchedEntities().Distinct())
            {
                // A review reaches its reviewer through the listing, which adds what it saw (co-reviewers, copies).
                if (entity.Kind == EntityKind.Reviewer && e is ReviewPosted)
                {
                    continue;
                }

                if (Priority.Contains(entity.Kind))
                {
                    var prices = e is ListingEvent && categoryPrices is not null && categoryPrices.TryGetValue(e.EventId, out var snapshot) ? snapshot : null;
                    Add(entity, i, new WorkItem(Event: e, CategoryPrices: prices));
                }
            }
        }
    }

    private WorkPlan()
    {
    }

    /// <summary>A plan that starts from facts (an analyst's action told the entity's neighbours).</summary>
    public static WorkPlan FromNotices(IEnumerable<Notice> notices)
    {
        var plan = new WorkPlan();
        plan.AddNotices(notices);
        return plan;
    }

    /// <summary>
    /// Observes the row's listing prices in their categories before any listing is assessed, in row order, so a
    /// listing is compared with the listings before it, not with whichever happened to be observed first.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, CategoryPriceSnapshot?>> ObserveCategoriesAsync(IGrainFactory grains, IReadOnlyList<IntegrityEvent> events)
    {
        var byCategory = events.OfType<ListingEvent>().GroupBy(l => l.CategoryId, StringComparer.Ordinal).ToList();
        var snapshots = new Dictionary<string, CategoryPriceSnapshot?>(StringComparer.Ordinal);
        if (byCategory.Count == 0)
        {
            return snapshots;
        }

        var observed = await Task.WhenAll(byCategory.Select(g => grains.GetGrain<ICategoryGrain>(g.Key).ObserveAsync([.. g])));
        for (var c = 0; c < byCategory.Count; c++)
        {
            var listings = byCategory[c].ToList();
            for (var i = 0; i < listings.Count; i++)
            {
                snapshots[listings[i].EventId] = observed[c][i];
            }
        }

        return snapshots;
    }

    /// <summary>Brand registrations go to the brand directory before any listing is checked.</summary>
    public static IReadOnlyList<BrandRegistered> Brands(IReadOnlyList<IntegrityEvent> events) => [.. events.OfType<BrandRegistered>()];

    public bool HasWork => _pending.Count > 0;

    /// <summary>Removes and returns the next round: all pending work of the highest-priority kind that has any.</summary>
    public IReadOnlyList<(EntityRef Entity, EntityWork Work)> NextRound()
    {
        var kind = Priority.First(k => _pending.Keys.Any(e => e.Kind == k));
        var round = _pending.Where(p => p.Key.Kind == kind).ToList();
        foreach (var (entity, _) in round)
        {
            _pending.Remove(entity);
        }

        return [.. round.Select(p => (p.Key, new EntityWork([.. p.Value.OrderBy(x => x.Order).ThenBy(x => x.Tie).Select(x => x.Item)])))];
    }

    /// <summary>
    /// Queues notices at the position of the event behind them (a forwarded review at its own, a fact right after its
    /// cause), so each entity sees work in the order a one-by-one run would have produced it.
    /// </summary>
    public void AddNotices(IEnumerable<Notice> notices)
    {
        foreach (var notice in notices)
        {
            var cause = notice.Item.CauseEventId ?? notice.Item.Event?.EventId;
            var order = cause is not null && _positions.TryGetValue(cause, out var position) ? position : _factOrder++;
            Add(notice.Target, order, notice.Item);
        }
    }

    /// <summary>
    /// Removes the pending work of events an entity refused as impossible (dead-lettered), so no other entity applies
    /// part of an event that was rejected. Listings, which validate, come first in <see cref="Priority"/>.
    /// </summary>
    public void Drop(IReadOnlySet<string> eventIds)
    {
        if (eventIds.Count == 0)
        {
            return;
        }

        foreach (var (entity, items) in _pending.ToList())
        {
            items.RemoveAll(x => x.Item.Event is { } e && eventIds.Contains(e.EventId));
            if (items.Count == 0)
            {
                _pending.Remove(entity);
            }
        }
    }

    private void Add(EntityRef entity, long order, WorkItem item)
    {
        if (!_pending.TryGetValue(entity, out var list))
        {
            _pending[entity] = list = [];
        }

        list.Add((order, _tieBreak++, item));
    }

    public static IEntityGrain Grain(IGrainFactory grains, EntityRef entity) => entity.Kind switch
    {
        EntityKind.Seller => grains.GetGrain<ISellerGrain>(entity.Id),
        EntityKind.Listing => grains.GetGrain<IListingGrain>(entity.Id),
        EntityKind.Reviewer => grains.GetGrain<IReviewerGrain>(entity.Id),
        _ => throw new ArgumentOutOfRangeException(nameof(entity), $"No entity grain for kind {entity.Kind}."),
    };
}
