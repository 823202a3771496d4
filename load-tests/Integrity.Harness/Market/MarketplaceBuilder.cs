using System.Globalization;

namespace Integrity.Harness.Market;

/// <summary>
/// The shared workshop of the honest generator and the fraud injector: id counters, entity factories with
/// distinct fake identifiers, the honest order lifecycle, and the event stream they all write to.
/// </summary>
internal sealed class MarketplaceBuilder
{
    private int _sellers;
    private int _listings;
    private int _customers;
    private int _orders;
    private int _reviews;
    private int _complaints;
    private int _reports;

    private Zipf? _buyers;

    public MarketplaceBuilder(MarketplaceOptions options)
    {
        Options = options;
        Stream = new EventStream(Id("ev", options.Seed.ToString(CultureInfo.InvariantCulture))) { End = options.End };
    }

    public MarketplaceOptions Options { get; }

    public EventStream Stream { get; }

    public List<Seller> Sellers { get; } = [];

    public List<Brand> Brands { get; } = [];

    public List<Customer> HonestCustomers { get; } = [];

    public List<GroundTruthEntry> Truth { get; } = [];

    /// <summary>A random source per concern, so adding a pattern does not reshuffle the honest traffic of a seed.</summary>
    public Random Rng(int salt) => new(unchecked((Options.Seed * 1_000_003) + (salt * 7919)));

    public Category Category(string id) => TextBank.Categories.First(c => c.Id == id);

    /// <summary>An id of this market: <c>{kind}-{number}</c>, or <c>{kind}-{prefix}-{number}</c> with an id prefix.</summary>
    public string Id(string kind, string number) => Options.IdPrefix.Length == 0 ? $"{kind}-{number}" : $"{kind}-{Options.IdPrefix}-{number}";

    /// <summary>An honest buyer: uniformly, or by Zipf rank (half the market's skew) in a skewed market.</summary>
    public Customer PickCustomer(Random rng)
    {
        if (Options.Skew <= 0) return TextBank.Pick(rng, HonestCustomers);
        if (_buyers?.Count != HonestCustomers.Count) _buyers = new Zipf(HonestCustomers.Count, Options.Skew / 2);
        return HonestCustomers[_buyers.Sample(rng)];
    }

    /// <summary>A seller whose every identifier is unique to it: clearly fake values derived from its number.</summary>
    public Seller NewSeller(Random rng, DateTimeOffset registeredAt, string? name = null)
    {
        var n = ++_sellers;
        var p = Options.IdPrefix;
        var identity = new SellerIdentity(
            BankAccount: $"XX00 TEST {p}{n:D10}",
            Phone: $"+00 555 {p}{n:D8}",
            Email: $"seller{p}{n}@stores.example",
            Address: $"{n} Test Street {p}, Sellerville",
            Device: $"dev-s{p}{n:x8}",
            TaxId: $"TAX{p}{n:D9}",
            Ip: $"198.18.{(n >> 8) & 255}.{n & 255}");
        var seller = new Seller(Id("S", $"{n:D6}"), name ?? $"{TextBank.Pick(rng, TextBank.StoreWords)} {TextBank.Pick(rng, TextBank.StoreKinds)} {n}", identity, registeredAt);
        Sellers.Add(seller);
        return seller;
    }

    /// <summary>A customer account with its own address, card, e-mail, device and IP (never a seller's).</summary>
    public Customer NewCustomer(DateTimeOffset accountCreatedAt)
    {
        var n = ++_customers;
        var p = Options.IdPrefix;
        return new Customer(
            Id("C", $"{n:D7}"), Round(accountCreatedAt), $"{(n % 200) + 1} Buyer Lane {p}, Flat {n}, Customertown", $"card-fp-{p}{n:x8}",
            $"c{p}{n}@mail.example", $"dev-c{p}{n:x8}", $"100.{64 + ((n >> 16) & 63)}.{(n >> 8) & 255}.{n & 255}", null);
    }

    public Listing NewListing(Seller seller, DateTimeOffset at, Category category, string title, string description, decimal price, string noun, string? brandId = null)
    {
        var listing = new Listing(Id("L", $"{++_listings:D7}"), seller, title, description, brandId, category, decimal.Round(price, 2), Round(at)) { Noun = noun };
        seller.Listings.Add(listing);
        Stream.ListingCreated(listing.CreatedAt, listing);
        return listing;
    }

    /// <summary>An ordinary listing of a category at an ordinary price (never far under the median).</summary>
    public Listing NewHonestListing(Random rng, Seller seller, DateTimeOffset at, Category category)
    {
        var noun = TextBank.Pick(rng, category.Nouns);
        var title = $"{Capitalize(TextBank.Pick(rng, TextBank.Adjectives))} {noun} {TextBank.Pick(rng, TextBank.Adjectives)} edition";
        var factor = Math.Clamp(Math.Exp(Normal(rng) * category.PriceSigma), 0.55, 3.0);
        var listing = NewListing(seller, at, category, title, TextBank.HonestDescription(rng, noun), category.MedianPrice * (decimal)factor, noun);
        listing.OrdersPerDay = Options.OrdersPerListingPerDay * Math.Exp((Normal(rng) * 0.6) - 0.18);
        return listing;
    }

    public Order NewOrder(Listing listing, Customer buyer, DateTimeOffset at) =>
        new(Id("O", $"{++_orders:D8}"), listing, buyer, listing.Price, Round(at));

    public string NextReviewId() => Id("R", $"{++_reviews:D8}");

    public string NextComplaintId() => Id("CP", $"{++_complaints:D7}");

    public string NextReportId() => Id("BR", $"{++_reports:D6}");

    /// <summary>
    /// An honest order and what follows it: cancelled (3%), else delivered in 1–5 days, then perhaps refunded (2%),
    /// a verified review (<see cref="MarketplaceOptions.ReviewRate"/>, 35% by default), an honest complaint (1.5%).
    /// </summary>
    public Order HonestOrder(Random rng, Listing listing, Customer buyer, DateTimeOffset placedAt)
    {
        var order = NewOrder(listing, buyer, placedAt);
        Stream.OrderPlaced(order.PlacedAt, order);
        if (rng.NextDouble() < 0.03)
        {
            Stream.OrderCancelled(order.PlacedAt + Hours(rng, 0.2, 6), order);
            return order;
        }

        var delivered = order.PlacedAt + Hours(rng, 24, 120);
        Stream.OrderDelivered(delivered, order);
        if (rng.NextDouble() < 0.02)
        {
            Stream.OrderRefunded(delivered + Hours(rng, 24, 240), order);
        }

        if (rng.NextDouble() < Options.ReviewRate)
        {
            var rating = TextBank.HonestRating(rng);
            Stream.ReviewPosted(delivered + Hours(rng, 6, 168), NextReviewId(), listing, buyer, rating, TextBank.HonestReview(rng, listing.Noun, rating), order.Id);
        }

        if (rng.NextDouble() < 0.015)
        {
            var kind = TextBank.Pick(rng, ["not_as_described", "quality", "non_delivery", "other"]);
            Stream.ComplaintFiled(delivered + Hours(rng, 12, 200), NextComplaintId(), kind, listing, buyer, order.Id);
        }

        return order;
    }

    /// <summary>Honest demand on a listing from <paramref name="from"/> to the end of the span (a Poisson process).</summary>
    public void HonestDemand(Random rng, Listing listing, DateTimeOffset from, double ordersPerDay)
    {
        if (HonestCustomers.Count == 0 || ordersPerDay <= 0) return;
        var t = from;
        while (true)
        {
            t += TimeSpan.FromDays(-Math.Log(1 - rng.NextDouble()) / ordersPerDay);
            if (t >= Options.End) return;
            HonestOrder(rng, listing, PickCustomer(rng), t);
        }
    }

    public void Culprit(string incident, string pattern, EntityKind kind, string id, DateTimeOffset at) =>
        Truth.Add(new(incident, pattern, kind, id, GroundTruthRole.Culprit, Round(at)));

    public void Involved(string incident, string pattern, EntityKind kind, string id, DateTimeOffset at) =>
        Truth.Add(new(incident, pattern, kind, id, GroundTruthRole.Involved, Round(at)));

    public void Protected(string incident, string pattern, EntityKind kind, string id, DateTimeOffset at) =>
        Truth.Add(new(incident, pattern, kind, id, GroundTruthRole.Protected, Round(at)));

    public static TimeSpan Hours(Random rng, double min, double max) => TimeSpan.FromSeconds(Math.Round((min + (rng.NextDouble() * (max - min))) * 3600));

    /// <summary>Whole seconds: the wire format carries seconds, so ground truth and events agree exactly.</summary>
    public static DateTimeOffset Round(DateTimeOffset t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), t.Offset);

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    public static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpper(s[0], CultureInfo.InvariantCulture) + s[1..];
}
