namespace Integrity.Domain.Events;

/// <summary>Fields shared by listing created and updated: the full current content of the listing.</summary>
public abstract record ListingEvent(
    string EventId,
    DateTimeOffset OccurredAt,
    string ListingId,
    string SellerId,
    string Title,
    string Description,
    string? BrandId,
    string CategoryId,
    decimal Price,
    string Currency) : IntegrityEvent(EventId, OccurredAt)
{
    public override IEnumerable<EntityRef> TouchedEntities()
    {
        yield return new(EntityKind.Listing, ListingId);
        yield return new(EntityKind.Seller, SellerId);
        yield return new(EntityKind.Category, CategoryId);
        if (BrandId is not null) yield return new(EntityKind.Brand, BrandId);
    }
}

public sealed record ListingCreated(
    string EventId, DateTimeOffset OccurredAt, string ListingId, string SellerId, string Title, string Description,
    string? BrandId, string CategoryId, decimal Price, string Currency)
    : ListingEvent(EventId, OccurredAt, ListingId, SellerId, Title, Description, BrandId, CategoryId, Price, Currency);

/// <summary>A listing's content changed; carries the whole new content, not a diff, so it can be applied out of order.</summary>
public sealed record ListingUpdated(
    string EventId, DateTimeOffset OccurredAt, string ListingId, string SellerId, string Title, string Description,
    string? BrandId, string CategoryId, decimal Price, string Currency)
    : ListingEvent(EventId, OccurredAt, ListingId, SellerId, Title, Description, BrandId, CategoryId, Price, Currency);
