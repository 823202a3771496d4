namespace Integrity.Harness.Market;

/// <summary>
/// The kinds of entity the harness counts events for. Names match the engine's entity kinds so a probe can map them
/// one to one; identifier entities are left out because the harness never sees the engine's hashes.
/// </summary>
public enum EntityKind
{
    Seller,
    Listing,
    Reviewer,
    Brand,
    Category,
}

/// <summary>Sets of entity kinds.</summary>
public static class EntityKinds
{
    /// <summary>The kinds whose grains keep an applied-event counter in grain state (brands and categories are helpers without one).</summary>
    public static IReadOnlySet<EntityKind> Counted { get; } = new HashSet<EntityKind> { EntityKind.Seller, EntityKind.Listing, EntityKind.Reviewer };
}

/// <summary>One entity as the harness names it.</summary>
public readonly record struct EntityKey(EntityKind Kind, string Id)
{
    public override string ToString() => $"{Kind}/{Id}";
}

/// <summary>A product category: its prices are log-normal around the median.</summary>
public sealed record Category(string Id, string Name, decimal MedianPrice, double PriceSigma, IReadOnlyList<string> Nouns);

/// <summary>A brand, its keywords, the price of the genuine product, and who may sell it.</summary>
public sealed class Brand(string id, string name, IReadOnlyList<string> keywords, string categoryId, decimal referencePrice)
{
    public string Id { get; } = id;

    public string Name { get; } = name;

    public IReadOnlyList<string> Keywords { get; } = keywords;

    public string CategoryId { get; } = categoryId;

    public decimal ReferencePrice { get; } = referencePrice;

    public List<string> AuthorizedSellerIds { get; } = [];

    public List<string> OfficialStoreSellerIds { get; } = [];
}

/// <summary>A seller's personal identifiers, in clear (obviously fake values); the engine hashes them at ingest.</summary>
public sealed record SellerIdentity(string BankAccount, string Phone, string Email, string Address, string Device, string TaxId, string Ip);

public sealed class Seller(string id, string name, SellerIdentity identity, DateTimeOffset registeredAt)
{
    public string Id { get; } = id;

    public string Name { get; } = name;

    public SellerIdentity Identity { get; set; } = identity;

    public DateTimeOffset RegisteredAt { get; } = registeredAt;

    public List<Listing> Listings { get; } = [];
}

public sealed class Listing(string id, Seller seller, string title, string description, string? brandId, Category category, decimal price, DateTimeOffset createdAt)
{
    public string Id { get; } = id;

    public Seller Seller { get; } = seller;

    public string Title { get; } = title;

    public string Description { get; } = description;

    /// <summary>The brand id sent on the wire; null when the listing names a brand only in its title.</summary>
    public string? BrandId { get; } = brandId;

    public Category Category { get; } = category;

    public decimal Price { get; set; } = price;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>Honest demand: mean orders per day.</summary>
    public double OrdersPerDay { get; set; }

    /// <summary>The product word used in review texts.</summary>
    public string Noun { get; init; } = "item";
}

/// <summary>A customer account: buyer on orders, reviewer on reviews, complainant on complaints.</summary>
public sealed record Customer(string Id, DateTimeOffset AccountCreatedAt, string ShipTo, string Payment, string Email, string Device, string Ip, string? Phone);

public sealed record Order(string Id, Listing Listing, Customer Buyer, decimal Amount, DateTimeOffset PlacedAt);
