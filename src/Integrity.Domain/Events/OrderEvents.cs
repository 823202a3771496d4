namespace Integrity.Domain.Events;

/// <summary>
/// Fields shared by every order event. Ship-to and payment are keyed-hash fingerprints; the ship-to hash uses the
/// same key and normalization as a seller's address, so an order shipped to the seller's own address is visible.
/// </summary>
public abstract record OrderEvent(
    string EventId,
    DateTimeOffset OccurredAt,
    string OrderId,
    string ListingId,
    string SellerId,
    string BuyerId,
    decimal Amount,
    string Currency,
    string? ShipToHash,
    string? PaymentHash,
    IdentifierSet? Buyer) : IntegrityEvent(EventId, OccurredAt)
{
    public override IEnumerable<EntityRef> TouchedEntities()
    {
        yield return new(EntityKind.Listing, ListingId);
        yield return new(EntityKind.Seller, SellerId);
        yield return new(EntityKind.Reviewer, BuyerId);
    }

    /// <summary>Every buyer-side identifier on this order (ship-to address, payment, contact, device).</summary>
    public IEnumerable<IdentifierHash> BuyerIdentifiers()
    {
        if (ShipToHash is not null) yield return new(IdentifierKind.Address, ShipToHash);
        if (PaymentHash is not null) yield return new(IdentifierKind.Payment, PaymentHash);
        foreach (var id in Buyer?.Present() ?? []) yield return id;
    }

    /// <summary>Whether <paramref name="id"/> is one of <see cref="BuyerIdentifiers"/>, checked without building them.</summary>
    public bool HasBuyerIdentifier(IdentifierHash id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Kind switch
        {
            IdentifierKind.Address when ShipToHash == id.Hash => true,
            IdentifierKind.Payment when PaymentHash == id.Hash => true,
            _ => Buyer?.HashOf(id.Kind) == id.Hash,
        };
    }
}

public sealed record OrderPlaced(
    string EventId, DateTimeOffset OccurredAt, string OrderId, string ListingId, string SellerId, string BuyerId,
    decimal Amount, string Currency, string? ShipToHash, string? PaymentHash, IdentifierSet? Buyer = null)
    : OrderEvent(EventId, OccurredAt, OrderId, ListingId, SellerId, BuyerId, Amount, Currency, ShipToHash, PaymentHash, Buyer);

public sealed record OrderCancelled(
    string EventId, DateTimeOffset OccurredAt, string OrderId, string ListingId, string SellerId, string BuyerId,
    decimal Amount, string Currency, string? ShipToHash = null, string? PaymentHash = null, IdentifierSet? Buyer = null)
    : OrderEvent(EventId, OccurredAt, OrderId, ListingId, SellerId, BuyerId, Amount, Currency, ShipToHash, PaymentHash, Buyer);

public sealed record OrderRefunded(
    string EventId, DateTimeOffset OccurredAt, string OrderId, string ListingId, string SellerId, string BuyerId,
    decimal Amount, string Currency, string? ShipToHash = null, string? PaymentHash = null, IdentifierSet? Buyer = null)
    : OrderEvent(EventId, OccurredAt, OrderId, ListingId, SellerId, BuyerId, Amount, Currency, ShipToHash, PaymentHash, Buyer);

public sealed record OrderDelivered(
    string EventId, DateTimeOffset OccurredAt, string OrderId, string ListingId, string SellerId, string BuyerId,
    decimal Amount, string Currency, string? ShipToHash = null, string? PaymentHash = null, IdentifierSet? Buyer = null)
    : OrderEvent(EventId, OccurredAt, OrderId, ListingId, SellerId, BuyerId, Amount, Currency, ShipToHash, PaymentHash, Buyer);
