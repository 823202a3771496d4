using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Orleans.Concurrency;

namespace Integrity.Contracts;

/// <summary>A seller (store).</summary>
public interface ISellerGrain : IEntityGrain
{
    /// <summary>The seller's ladder level; read-only, so it may interleave (linked sellers ask each other).</summary>
    [AlwaysInterleave]
    Task<int> GetLevelAsync();
}

/// <summary>A listing (product page) of one seller.</summary>
public interface IListingGrain : IEntityGrain;

/// <summary>A customer account: reviewer on reviews, buyer on orders.</summary>
public interface IReviewerGrain : IEntityGrain;

/// <summary>All brands: profiles and the keyword index listings are checked against. Brands are few; one grain.</summary>
public interface IBrandDirectoryGrain : IGrainWithStringKey
{
    Task RegisterAsync(IReadOnlyList<BrandRegistered> brands);

    /// <summary>The declared brand and every brand whose keyword the texts use.</summary>
    Task<IReadOnlyList<BrandProfile>> ResolveAsync(string? declaredBrandId, string title, string description);
}

/// <summary>A category's price statistics (streaming medians per currency).</summary>
public interface ICategoryGrain : IGrainWithStringKey
{
    /// <summary>Observes the listings' prices in order; each snapshot is the median right after its listing.</summary>
    Task<IReadOnlyList<CategoryPriceSnapshot?>> ObserveAsync(IReadOnlyList<ListingEvent> listings);

    /// <summary>The category's current median in a currency, observing nothing (null before any price in it).</summary>
    Task<CategoryPriceSnapshot?> SnapshotAsync(string currency);
}

/// <summary>One keyed-hashed identifier (bank account, device...) and the sellers that share it.</summary>
public interface IIdentifierGrain : IGrainWithStringKey
{
    /// <summary>Adds the seller (idempotent) and returns the other sellers sharing this identifier.</summary>
    Task<IReadOnlyList<string>> LinkAsync(string sellerId);
}

/// <summary>
/// What the platform sends, counted over the whole deployment: each silo adds what its consumers delivered since it
/// last called and gets the total back (<see cref="Key"/> names the one grain).
/// </summary>
public interface IEvidenceCoverageGrain : IGrainWithStringKey
{
    public const string Key = "deployment";

    Task<Domain.Coverage.EvidenceTally> AddAsync(Domain.Coverage.EvidenceTally delta);
}
