namespace Integrity.Domain.Events;

public enum BrandReportKind
{
    Counterfeit,
    Trademark,

    /// <summary>The brand says it is being defamed (e.g. a fake 1-star campaign); counts against no seller.</summary>
    Defamation,
}

/// <summary>
/// A brand owner registered (or re-registered, replacing the profile) its brand. Prices are in <see cref="Currency"/>.
/// <see cref="ReferencePrices"/> per category wins over the single <see cref="ReferencePrice"/>.
/// </summary>
public sealed record BrandRegistered(
    string EventId,
    DateTimeOffset OccurredAt,
    string BrandId,
    string Name,
    IReadOnlyList<string> Keywords,
    decimal? ReferencePrice,
    IReadOnlyDictionary<string, decimal>? ReferencePrices,
    string Currency,
    IReadOnlyList<string> AuthorizedSellerIds,
    IReadOnlyList<string> OfficialStoreSellerIds) : IntegrityEvent(EventId, OccurredAt)
{
    public override IEnumerable<EntityRef> TouchedEntities()
    {
        yield return new(EntityKind.Brand, BrandId);
    }
}

/// <summary>A brand owner reported a listing or a seller.</summary>
public sealed record BrandReported(
    string EventId,
    DateTimeOffset OccurredAt,
    string ReportId,
    BrandReportKind Kind,
    string BrandId,
    string? ListingId,
    string SellerId) : IntegrityEvent(EventId, OccurredAt)
{
    public override IEnumerable<EntityRef> TouchedEntities()
    {
        yield return new(EntityKind.Brand, BrandId);
        if (ListingId is not null) yield return new(EntityKind.Listing, ListingId);
        yield return new(EntityKind.Seller, SellerId);
    }
}
