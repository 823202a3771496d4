namespace Integrity.Domain.Events;

/// <summary>A seller (store) opened an account. Identifiers are keyed hashes.</summary>
public sealed record SellerRegistered(string EventId, DateTimeOffset OccurredAt, string SellerId, string? Name, IdentifierSet Identifiers)
    : IntegrityEvent(EventId, OccurredAt)
{
    public override IEnumerable<EntityRef> TouchedEntities() => SellerEventEntities.Of(SellerId, Identifiers);
}

/// <summary>A seller changed identifiers. Only the identifiers given are new; earlier ones still link the seller.</summary>
public sealed record SellerUpdated(string EventId, DateTimeOffset OccurredAt, string SellerId, string? Name, IdentifierSet Identifiers)
    : IntegrityEvent(EventId, OccurredAt)
{
    public override IEnumerable<EntityRef> TouchedEntities() => SellerEventEntities.Of(SellerId, Identifiers);
}

internal static class SellerEventEntities
{
    public static IEnumerable<EntityRef> Of(string sellerId, IdentifierSet identifiers) =>
        identifiers.Present().Select(i => i.ToEntityRef()).Prepend(new EntityRef(EntityKind.Seller, sellerId));
}
