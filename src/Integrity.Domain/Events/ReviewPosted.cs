namespace Integrity.Domain.Events;

/// <summary>
/// A customer reviewed a listing. <see cref="OrderId"/> present means the platform verified a purchase.
/// <see cref="AccountCreatedAt"/> is an optional hint used for the account-age signal.
/// </summary>
public sealed record ReviewPosted(
    string EventId,
    DateTimeOffset OccurredAt,
    string ReviewId,
    string ListingId,
    string SellerId,
    string ReviewerId,
    int Rating,
    string Text,
    string? OrderId = null,
    DateTimeOffset? AccountCreatedAt = null) : IntegrityEvent(EventId, OccurredAt)
{
    public bool IsVerified => OrderId is not null;

    public override IEnumerable<EntityRef> TouchedEntities()
    {
        yield return new(EntityKind.Listing, ListingId);
        yield return new(EntityKind.Seller, SellerId);
        yield return new(EntityKind.Reviewer, ReviewerId);
    }
}
