namespace Integrity.Domain.Events;

public enum ComplaintKind
{
    Counterfeit,
    NotAsDescribed,
    NonDelivery,
    Quality,
    Other,
}

/// <summary>A customer complained about a listing (and so its seller).</summary>
public sealed record ComplaintFiled(
    string EventId,
    DateTimeOffset OccurredAt,
    string ComplaintId,
    ComplaintKind Kind,
    string ListingId,
    string SellerId,
    string ComplainantId,
    string? OrderId = null) : IntegrityEvent(EventId, OccurredAt)
{
    public override IEnumerable<EntityRef> TouchedEntities()
    {
        yield return new(EntityKind.Listing, ListingId);
        yield return new(EntityKind.Seller, SellerId);
    }
}
