using Integrity.Domain.Events;

namespace Integrity.Domain.Benchmarks;

/// <summary>Which events a <see cref="MarketStream"/> produces.</summary>
public enum StreamKind
{
    /// <summary>A marketplace mix: mostly orders and their deliveries, reviews, some refunds, listings and complaints.</summary>
    Mix,
    OrderPlaced,
    ReviewPosted,
    ListingUpdated,
    ComplaintFiled,
}

/// <summary>
/// A deterministic marketplace stream for the benchmarks: sellers with listings, customers, Zipf-like activity (a few
/// busy sellers, listings and customers, a long tail), events a minute apart in event time. The warm-up part creates
/// every seller and listing and gives the busy ones a history, so measured events land on entities with full lists.
/// </summary>
public sealed class MarketStream(int sellers = 2_000, int listingsPerSeller = 5, int customers = 50_000, int seed = 7)
{
    private static readonly string[] Words =
        ["great", "sound", "fast", "delivery", "quality", "battery", "fits", "well", "colour", "described", "good", "value", "sturdy", "works", "nice", "gift"];

    private readonly Random _random = new(seed);
    private readonly List<(string OrderId, string ListingId, string SellerId, string BuyerId)> _orders = [];
    private DateTimeOffset _clock = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private long _next;

    /// <summary>Every seller registered and every listing created, then <paramref name="mixed"/> events of the mix.</summary>
    public List<IntegrityEvent> WarmUp(int mixed)
    {
        var events = new List<IntegrityEvent>();
        for (var s = 0; s < sellers; s++)
        {
            events.Add(new SellerRegistered(NextId(), Tick(), Seller(s), $"Shop {s}", new IdentifierSet(BankAccount: $"bank-{s}", Phone: $"phone-{s}")));
            for (var l = 0; l < listingsPerSeller; l++) events.Add(Listing(s, l, created: true));
        }

        events.AddRange(Take(StreamKind.Mix, mixed));
        return events;
    }

    public List<IntegrityEvent> Take(StreamKind kind, int count)
    {
        var events = new List<IntegrityEvent>(count);
        while (events.Count < count) events.Add(Next(kind));
        return events;
    }

    private IntegrityEvent Next(StreamKind kind) => kind switch
    {
        StreamKind.OrderPlaced => Order(),
        StreamKind.ReviewPosted => Review(),
        StreamKind.ListingUpdated => Listing(Zipf(sellers), _random.Next(listingsPerSeller), created: false),
        StreamKind.ComplaintFiled => Complaint(),
        _ => _random.NextDouble() switch
        {
            < 0.50 => Order(),
            < 0.70 => Delivery(),
            < 0.88 => Review(),
            < 0.93 => Refund(),
            < 0.97 => Listing(Zipf(sellers), _random.Next(listingsPerSeller), created: false),
            _ => Complaint(),
        },
    };

    private OrderPlaced Order()
    {
        var s = Zipf(sellers);
        var listing = ListingId(s, Zipf(listingsPerSeller));
        var buyer = Customer(Zipf(customers));
        var order = ($"O-{_next}", listing, Seller(s), buyer);
        if (_orders.Count < 100_000) _orders.Add(order);
        else _orders[_random.Next(_orders.Count)] = order;
        return new OrderPlaced(NextId(), Tick(), order.Item1, listing, Seller(s), buyer, 40m + s % 30, "EUR", $"ship-{buyer}", $"pay-{buyer}");
    }

    private IntegrityEvent Delivery()
    {
        if (_orders.Count == 0) return Order();
        var (orderId, listingId, sellerId, buyerId) = _orders[_random.Next(_orders.Count)];
        return new OrderDelivered(NextId(), Tick(), orderId, listingId, sellerId, buyerId, 45m, "EUR");
    }

    private IntegrityEvent Refund()
    {
        if (_orders.Count == 0) return Order();
        var (orderId, listingId, sellerId, buyerId) = _orders[_random.Next(_orders.Count)];
        return new OrderRefunded(NextId(), Tick(), orderId, listingId, sellerId, buyerId, 45m, "EUR");
    }

    private ReviewPosted Review()
    {
        var (orderId, listingId, sellerId, buyerId) = _orders.Count > 0 ? _orders[_random.Next(_orders.Count)] : ("O-none", ListingId(0, 0), Seller(0), Customer(0));
        var text = string.Join(' ', Enumerable.Range(0, 8).Select(_ => Words[_random.Next(Words.Length)]));
        var id = NextId();
        return new ReviewPosted(id, Tick(), "R-" + id, listingId, sellerId, buyerId, _random.NextDouble() < 0.8 ? 5 : _random.Next(1, 5), text, orderId);
    }

    private ComplaintFiled Complaint()
    {
        var s = Zipf(sellers);
        var id = NextId();
        return new ComplaintFiled(id, Tick(), "C-" + id, ComplaintKind.NotAsDescribed, ListingId(s, Zipf(listingsPerSeller)), Seller(s), Customer(Zipf(customers)));
    }

    private ListingEvent Listing(int s, int l, bool created)
    {
        var (title, description) = ($"Wireless earbuds {l} model {_next % 3}", "Bluetooth 5.3, 30 h battery, charging case.");
        return created
            ? new ListingCreated(NextId(), Tick(), ListingId(s, l), Seller(s), title, description, null, $"cat-{s % 20}", 40m + s % 30, "EUR")
            : new ListingUpdated(NextId(), Tick(), ListingId(s, l), Seller(s), title, description, null, $"cat-{s % 20}", 40m + s % 30, "EUR");
    }

    /// <summary>Rank-skewed choice in [0, n): rank r with weight about 1 / (r + 1).</summary>
    private int Zipf(int n) => Math.Min(n - 1, (int)Math.Floor(Math.Exp(_random.NextDouble() * Math.Log(n + 1)) - 1));

    private string NextId() => $"E-{_next++}";

    private DateTimeOffset Tick() => _clock = _clock.AddSeconds(1 + _random.Next(60));

    private static string Seller(int s) => $"S-{s}";

    private static string ListingId(int s, int l) => $"L-{s}-{l}";

    private static string Customer(int c) => $"C-{c}";
}
