using Integrity.Domain.Events;

namespace Integrity.Harness.Market;

/// <summary>
/// Collects the wire events of one generated marketplace, one method per event type, each naming the entities the
/// engine routes it to. <see cref="Seal"/> orders them by event time and gives them their ids, <c>{idStem}-{n}</c>.
/// </summary>
public sealed class EventStream(string idStem)
{
    private readonly List<GeneratedEvent> _events = [];

    public int Count => _events.Count;

    /// <summary>Events later than this are not emitted (an order placed near the end is never delivered in the span).</summary>
    public DateTimeOffset? End { get; set; }

    public void SellerRegistered(DateTimeOffset at, Seller seller) =>
        Add(EventTypeNames.SellerRegistered, at, seller.Id, [new(EntityKind.Seller, seller.Id)],
            ("sellerId", seller.Id), ("name", seller.Name), ("identifiers", Identifiers(seller.Identity)));

    public void SellerUpdated(DateTimeOffset at, Seller seller, IReadOnlyDictionary<string, string> changed) =>
        Add(EventTypeNames.SellerUpdated, at, seller.Id, [new(EntityKind.Seller, seller.Id)], ("sellerId", seller.Id), ("identifiers", changed));

    public void ListingCreated(DateTimeOffset at, Listing l) => AddListing(EventTypeNames.ListingCreated, at, l);

    public void ListingUpdated(DateTimeOffset at, Listing l) => AddListing(EventTypeNames.ListingUpdated, at, l);

    public void OrderPlaced(DateTimeOffset at, Order o, IReadOnlyDictionary<string, string>? buyer = null, string? shipTo = null, string? payment = null) =>
        AddOrder(EventTypeNames.OrderPlaced, at, o, withContact: true, buyer, shipTo, payment);

    public void OrderCancelled(DateTimeOffset at, Order o) => AddOrder(EventTypeNames.OrderCancelled, at, o, withContact: false);

    public void OrderRefunded(DateTimeOffset at, Order o) => AddOrder(EventTypeNames.OrderRefunded, at, o, withContact: false);

    public void OrderDelivered(DateTimeOffset at, Order o) => AddOrder(EventTypeNames.OrderDelivered, at, o, withContact: false, shipTo: o.Buyer.ShipTo);

    public void ReviewPosted(DateTimeOffset at, string reviewId, Listing l, Customer reviewer, int rating, string text, string? orderId)
    {
        var fields = new List<(string, object?)>
        {
            ("reviewId", reviewId), ("listingId", l.Id), ("sellerId", l.Seller.Id), ("reviewerId", reviewer.Id),
            ("rating", rating), ("text", text), ("orderId", orderId), ("accountCreatedAt", reviewer.AccountCreatedAt),
        };
        Add(EventTypeNames.ReviewPosted, at, l.Seller.Id, [new(EntityKind.Listing, l.Id), new(EntityKind.Seller, l.Seller.Id), new(EntityKind.Reviewer, reviewer.Id)], [.. fields]);
    }

    public void ComplaintFiled(DateTimeOffset at, string complaintId, string kind, Listing l, Customer complainant, string? orderId) =>
        Add(EventTypeNames.ComplaintFiled, at, l.Seller.Id, [new(EntityKind.Listing, l.Id), new(EntityKind.Seller, l.Seller.Id)],
            ("complaintId", complaintId), ("kind", kind), ("listingId", l.Id), ("sellerId", l.Seller.Id), ("complainantId", complainant.Id), ("orderId", orderId));

    public void BrandRegistered(DateTimeOffset at, Brand b) =>
        Add(EventTypeNames.BrandRegistered, at, b.Id, [new(EntityKind.Brand, b.Id)],
            ("brandId", b.Id), ("name", b.Name), ("keywords", b.Keywords.ToArray()), ("referencePrice", b.ReferencePrice),
            ("referencePrices", new Dictionary<string, decimal> { [b.CategoryId] = b.ReferencePrice }), ("currency", "EUR"),
            ("authorizedSellerIds", b.AuthorizedSellerIds.ToArray()), ("officialStoreSellerIds", b.OfficialStoreSellerIds.ToArray()));

    public void BrandReported(DateTimeOffset at, string reportId, string kind, Brand b, Seller seller, Listing? listing)
    {
        EntityKey[] touched = listing is null
            ? [new(EntityKind.Brand, b.Id), new(EntityKind.Seller, seller.Id)]
            : [new(EntityKind.Brand, b.Id), new(EntityKind.Listing, listing.Id), new(EntityKind.Seller, seller.Id)];
        Add(EventTypeNames.BrandReported, at, seller.Id, touched,
            ("reportId", reportId), ("kind", kind), ("brandId", b.Id), ("listingId", listing?.Id), ("sellerId", seller.Id));
    }

    /// <summary>Sorts by event time (creation order breaks ties, so the sort is deterministic) and assigns ids in that order.</summary>
    public IReadOnlyList<GeneratedEvent> Seal()
    {
        var sorted = _events.OrderBy(e => e.OccurredAt).ThenBy(e => e.CreationOrder).ToList();
        for (var i = 0; i < sorted.Count; i++)
        {
            sorted[i].Seal($"{idStem}-{i + 1:D8}");
        }

        _events.Clear();
        return sorted;
    }

    public static IReadOnlyDictionary<string, string> Identifiers(SellerIdentity id) => new Dictionary<string, string>
    {
        ["bankAccount"] = id.BankAccount,
        ["phone"] = id.Phone,
        ["email"] = id.Email,
        ["address"] = id.Address,
        ["device"] = id.Device,
        ["taxId"] = id.TaxId,
        ["ip"] = id.Ip,
    };

    private void AddListing(string type, DateTimeOffset at, Listing l)
    {
        var touched = new List<EntityKey> { new(EntityKind.Listing, l.Id), new(EntityKind.Seller, l.Seller.Id), new(EntityKind.Category, l.Category.Id) };
        if (l.BrandId is not null) touched.Add(new(EntityKind.Brand, l.BrandId));
        Add(type, at, l.Seller.Id, [.. touched],
            ("listingId", l.Id), ("sellerId", l.Seller.Id), ("title", l.Title), ("description", l.Description), ("brandId", l.BrandId),
            ("categoryId", l.Category.Id), ("price", l.Price), ("currency", "EUR"));
    }

    private void AddOrder(string type, DateTimeOffset at, Order o, bool withContact, IReadOnlyDictionary<string, string>? buyer = null, string? shipTo = null, string? payment = null)
    {
        var fields = new List<(string, object?)>
        {
            ("orderId", o.Id), ("listingId", o.Listing.Id), ("sellerId", o.Listing.Seller.Id), ("buyerId", o.Buyer.Id),
            ("amount", o.Amount), ("currency", "EUR"),
        };
        if (withContact)
        {
            fields.Add(("shipTo", shipTo ?? o.Buyer.ShipTo));
            fields.Add(("payment", payment ?? o.Buyer.Payment));
            fields.Add(("buyer", buyer ?? new Dictionary<string, string> { ["email"] = o.Buyer.Email, ["device"] = o.Buyer.Device, ["ip"] = o.Buyer.Ip }));
        }
        else if (shipTo is not null)
        {
            fields.Add(("shipTo", shipTo));
        }

        Add(type, at, o.Listing.Seller.Id,
            [new(EntityKind.Listing, o.Listing.Id), new(EntityKind.Seller, o.Listing.Seller.Id), new(EntityKind.Reviewer, o.Buyer.Id)], [.. fields]);
    }

    private void Add(string type, DateTimeOffset at, string shardKey, EntityKey[] touched, params (string Name, object? Value)[] fields)
    {
        at = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        if (End is { } end && at > end) return;
        var kept = new List<KeyValuePair<string, object>>(fields.Length);
        foreach (var (name, value) in fields)
        {
            if (value is not null) kept.Add(new(name, value));
        }

        _events.Add(new GeneratedEvent(type, at, shardKey, touched, kept, _events.Count));
    }
}
