using Integrity.Domain.Events;

namespace Integrity.Domain.Tests.Fixtures;

/// <summary>
/// Writes marketplace events the way a platform would, on a movable clock, with identifiers given in clear and
/// keyed-hashed like the parser does. Event ids are sequential and unique per builder.
/// </summary>
public sealed class ScenarioBuilder(DateTimeOffset start)
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly List<IntegrityEvent> _events = [];
    private int _sequence;

    public ScenarioBuilder()
        : this(DefaultStart)
    {
    }

    public DateTimeOffset Now { get; private set; } = start;

    public IReadOnlyList<IntegrityEvent> Events => _events;

    public string Prefix { get; init; } = "evt";

    public ScenarioBuilder At(DateTimeOffset time)
    {
        Now = time;
        return this;
    }

    public ScenarioBuilder Advance(TimeSpan by)
    {
        Now += by;
        return this;
    }

    public static string Hash(IdentifierKind kind, string clear) => TestHasher.Instance.Hash(kind, clear)!;

    public static IdentifierSet Ids(string? bank = null, string? phone = null, string? email = null, string? address = null, string? device = null, string? taxId = null, string? ip = null) =>
        new(bank is null ? null : Hash(IdentifierKind.BankAccount, bank), phone is null ? null : Hash(IdentifierKind.Phone, phone),
            email is null ? null : Hash(IdentifierKind.Email, email), address is null ? null : Hash(IdentifierKind.Address, address),
            device is null ? null : Hash(IdentifierKind.Device, device), taxId is null ? null : Hash(IdentifierKind.TaxId, taxId),
            ip is null ? null : Hash(IdentifierKind.Ip, ip));

    public SellerRegistered Seller(string sellerId, IdentifierSet? identifiers = null, string? name = null) =>
        Add(new SellerRegistered(NextId(), Now, sellerId, name ?? sellerId, identifiers ?? Ids(bank: $"bank-{sellerId}", email: $"{sellerId}@shop.example")));

    public SellerUpdated SellerUpdate(string sellerId, IdentifierSet identifiers) => Add(new SellerUpdated(NextId(), Now, sellerId, null, identifiers));

    public ListingCreated Listing(string listingId, string sellerId, string title = "Wireless earbuds", string description = "Bluetooth 5.3, 30 h battery.",
        string category = "audio", decimal price = 80m, string? brandId = null, string currency = "EUR") =>
        Add(new ListingCreated(NextId(), Now, listingId, sellerId, title, description, brandId, category, price, currency));

    public ListingUpdated ListingUpdate(string listingId, string sellerId, string title, string description = "Bluetooth 5.3, 30 h battery.",
        string category = "audio", decimal price = 80m, string? brandId = null) =>
        Add(new ListingUpdated(NextId(), Now, listingId, sellerId, title, description, brandId, category, price, "EUR"));

    public OrderPlaced Order(string orderId, string listingId, string sellerId, string buyerId, decimal amount = 80m, string? shipTo = null, string? payment = null) =>
        Add(new OrderPlaced(NextId(), Now, orderId, listingId, sellerId, buyerId, amount, "EUR",
            Hash(IdentifierKind.Address, shipTo ?? $"{buyerId} street 1"), Hash(IdentifierKind.Payment, payment ?? $"card-{buyerId}")));

    public OrderRefunded Refund(OrderPlaced order) =>
        Add(new OrderRefunded(NextId(), Now, order.OrderId, order.ListingId, order.SellerId, order.BuyerId, order.Amount, "EUR"));

    public OrderCancelled Cancel(OrderPlaced order) =>
        Add(new OrderCancelled(NextId(), Now, order.OrderId, order.ListingId, order.SellerId, order.BuyerId, order.Amount, "EUR"));

    public OrderDelivered Deliver(OrderPlaced order) =>
        Add(new OrderDelivered(NextId(), Now, order.OrderId, order.ListingId, order.SellerId, order.BuyerId, order.Amount, "EUR"));

    public ReviewPosted Review(string listingId, string sellerId, string reviewerId, int rating, string text, string? orderId = null, DateTimeOffset? accountCreatedAt = null) =>
        Add(new ReviewPosted(NextId(), Now, $"R-{_sequence}", listingId, sellerId, reviewerId, rating, text, orderId, accountCreatedAt));

    public ComplaintFiled Complaint(string listingId, string sellerId, string complainantId, ComplaintKind kind = ComplaintKind.NotAsDescribed, string? orderId = null) =>
        Add(new ComplaintFiled(NextId(), Now, $"CP-{_sequence}", kind, listingId, sellerId, complainantId, orderId));

    public BrandRegistered Brand(string brandId, string name, IReadOnlyList<string> keywords, decimal? referencePrice, IReadOnlyList<string>? authorized = null,
        IReadOnlyList<string>? officialStores = null, IReadOnlyDictionary<string, decimal>? perCategory = null) =>
        Add(new BrandRegistered(NextId(), Now, brandId, name, keywords, referencePrice, perCategory, "EUR", authorized ?? [], officialStores ?? []));

    public BrandReported BrandReport(string brandId, BrandReportKind kind, string sellerId, string? listingId = null) =>
        Add(new BrandReported(NextId(), Now, $"BR-{_sequence}", kind, brandId, listingId, sellerId));

    public string NextId() => $"{Prefix}-{++_sequence:D5}";

    private T Add<T>(T e)
        where T : IntegrityEvent
    {
        _events.Add(e);
        return e;
    }
}
