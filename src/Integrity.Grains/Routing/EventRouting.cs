using Integrity.Contracts;
using Integrity.Domain.Events;

namespace Integrity.Grains.Routing;

/// <summary>
/// Splits a row of events into one batch per touched entity, keeping journal order inside each batch, and
/// orders the batches in phases so facts other entities read are applied first: brands, categories and
/// identifier links; then reviewers; then listings (which read reviewer risk); then sellers (which read both).
/// </summary>
public static class EventRouting
{
    private static readonly EntityKind[][] Phases =
    [
        [EntityKind.Brand, EntityKind.Category, EntityKind.Identifier],
        [EntityKind.Reviewer],
        [EntityKind.Listing],
        [EntityKind.Seller],
    ];

    public static IReadOnlyList<IReadOnlyList<(EntityRef Entity, EventBatch Batch)>> Plan(IReadOnlyList<IntegrityEvent> events)
    {
        var byEntity = new Dictionary<EntityRef, List<IntegrityEvent>>();
        foreach (var e in events)
        {
            foreach (var entity in e.TouchedEntities().Distinct())
            {
                if (!byEntity.TryGetValue(entity, out var list))
                {
                    byEntity[entity] = list = [];
                }

                list.Add(e);
            }
        }

        return [.. Phases
            .Select(kinds => (IReadOnlyList<(EntityRef, EventBatch)>)[.. byEntity
                .Where(p => kinds.Contains(p.Key.Kind))
                .Select(p => (p.Key, new EventBatch(p.Value)))])
            .Where(phase => phase.Count > 0)];
    }

    public static IEntityGrain Grain(IGrainFactory grains, EntityRef entity) => entity.Kind switch
    {
        EntityKind.Seller => grains.GetGrain<ISellerGrain>(entity.Id),
        EntityKind.Listing => grains.GetGrain<IListingGrain>(entity.Id),
        EntityKind.Reviewer => grains.GetGrain<IReviewerGrain>(entity.Id),
        EntityKind.Brand => grains.GetGrain<IBrandGrain>(entity.Id),
        EntityKind.Category => grains.GetGrain<ICategoryGrain>(entity.Id),
        EntityKind.Identifier => grains.GetGrain<IIdentifierGrain>(entity.Id),
        _ => throw new ArgumentOutOfRangeException(nameof(entity), $"No grain for entity kind {entity.Kind}."),
    };
}
