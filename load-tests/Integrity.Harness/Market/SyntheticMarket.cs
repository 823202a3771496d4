using System.Buffers;
using System.Text.Json;

namespace Integrity.Harness.Market;

/// <summary>The entity grains an event is applied by (the engine's routing: listing, seller, and the buyer or reviewer).</summary>
public enum EntityType
{
    Listing,
    Reviewer,
    Seller,
}

public readonly record struct EntityKey(EntityType Kind, string Id)
{
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}/{Id}";
}

/// <summary>One generated event: its id, the seller that orders it, the entities that apply it, and whether it tips a decision.</summary>
public sealed record SynthEvent(string EventId, int Seller, EntityKey[] Touched, bool Tipping, Action<Utf8JsonWriter> Write);

/// <summary>What <see cref="SyntheticMarket"/> generates.</summary>
public sealed record MarketOptions
{
    /// <summary>Prefix of every id, so runs on one storage never share an entity.</summary>
    public required string Prefix { get; init; }

    public int Sellers { get; init; } = 500;

    public int ListingsPerSeller { get; init; } = 4;

    public int Reviewers { get; init; } = 5000;

    /// <summary>Share of events after the listings that are reviews (at most 0.5: each review follows its order).</summary>
    public double ReviewShare { get; init; } = 0.5;

    /// <summary>Share of listings created with a prohibited claim in their description: each tips an immediate decision.</summary>
    public double TippingListingShare { get; init; }

    /// <summary>
    /// When above 0, every this-many events after its first listings a seller lists one more product, so listings
    /// (and the decisions tipping ones cause) keep arriving all through a run, not only while the engine warms up.
    /// Then only these late listings tip. Even, so the slot is an order's and no review is left without its order.
    /// </summary>
    public int LateListingEvery { get; init; }

    /// <summary>
    /// Event time of each seller's first event; a seller's events are a minute apart. A week back, so that even a
    /// seller's ten-thousandth event is not dated past the server's clock plus Ingest:MaxFutureSkew (1 day), which
    /// ingest rejects.
    /// </summary>
    public DateTimeOffset Start { get; init; } = DateTimeOffset.UtcNow.AddDays(-7);
}

/// <summary>
/// A deterministic, cheap marketplace stream for load: each seller first creates its listings, then orders and reviews
/// alternate on them, from a shared pool of customers. Events of one seller are generated in order; senders keep that
/// order by giving each seller to one worker. Wire format as in docs/events.md.
/// </summary>
public sealed class SyntheticMarket(MarketOptions options)
{
    private static readonly string[] Words =
    [
        "great", "sound", "fast", "delivery", "quality", "battery", "fits", "well", "colour", "as", "described", "good",
        "value", "comfortable", "sturdy", "light", "would", "buy", "again", "works", "fine", "nice", "packaging", "gift",
        "solid", "build", "easy", "setup", "recommend", "price", "soft", "warm", "bright", "quiet", "strong", "handy",
    ];

    public MarketOptions Options => options;

    public string SellerId(int seller) => $"S-{options.Prefix}-{seller}";

    public string ListingId(int seller, int listing) => $"L-{options.Prefix}-{seller}-{listing}";

    public string CustomerId(int customer) => $"C-{options.Prefix}-{customer}";

    /// <summary>Event number <paramref name="n"/> (from 0) of one seller.</summary>
    public SynthEvent Event(int seller, int n)
    {
        var eventId = $"E-{options.Prefix}-{seller}-{n}";
        var at = options.Start.AddSeconds(seller % 60).AddMinutes(n);
        var sellerId = SellerId(seller);
        var perSeller = options.ListingsPerSeller;
        if (n < perSeller)
        {
            var listingId = ListingId(seller, n);
            var tipping = options.TippingListingShare > 0 && options.LateListingEvery == 0 && Unit(seller, n, 1) < options.TippingListingShare;
            return new SynthEvent(eventId, seller, [new(EntityType.Listing, listingId), new(EntityType.Seller, sellerId)], tipping, w =>
            {
                Head(w, "listing.created", eventId, at);
                w.WriteString("listingId", listingId);
                w.WriteString("sellerId", sellerId);
                w.WriteString("title", "Wireless earbuds " + (n + 1));
                w.WriteString("description", tipping ? "Miracle earbuds: cures cancer and heals arthritis." : "Bluetooth 5.3, 30 h battery, charging case.");
                w.WriteString("categoryId", "cat-" + (seller % 20));
                w.WriteNumber("price", 40 + (seller % 30));
                w.WriteString("currency", "EUR");
                w.WriteEndObject();
            });
        }

        // After the listings: orders, each odd one followed by a review of it by its buyer with probability 2 × ReviewShare.
        var j = n - perSeller;
        if (IsLateListing(j))
        {
            var listingId = $"L-{options.Prefix}-{seller}-late{j}";
            var tipping = Unit(seller, n, 1) < options.TippingListingShare;
            return new SynthEvent(eventId, seller, [new(EntityType.Listing, listingId), new(EntityType.Seller, sellerId)], tipping, w =>
            {
                Head(w, "listing.created", eventId, at);
                w.WriteString("listingId", listingId);
                w.WriteString("sellerId", sellerId);
                w.WriteString("title", "Wireless earbuds, new model " + j);
                w.WriteString("description", tipping ? "Miracle earbuds: cures cancer and heals arthritis." : "Bluetooth 5.3, 30 h battery, charging case.");
                w.WriteString("categoryId", "cat-" + (seller % 20));
                w.WriteNumber("price", 40 + (seller % 30));
                w.WriteString("currency", "EUR");
                w.WriteEndObject();
            });
        }

        var isReview = j % 2 == 1 && !IsLateListing(j - 1) && Unit(seller, n, 4) < 2 * options.ReviewShare;
        var order = isReview ? n - 1 : n;
        var listing = ListingId(seller, ((order - perSeller) / 2) % perSeller);
        var customerNumber = (int)(Unit(seller, order, 2) * options.Reviewers);
        var customer = CustomerId(customerNumber);
        var orderId = $"O-{options.Prefix}-{seller}-{order}";
        var touched = new EntityKey[] { new(EntityType.Listing, listing), new(EntityType.Seller, sellerId), new(EntityType.Reviewer, customer) };
        if (!isReview)
        {
            return new SynthEvent(eventId, seller, touched, false, w =>
            {
                Head(w, "order.placed", eventId, at);
                w.WriteString("orderId", orderId);
                w.WriteString("listingId", listing);
                w.WriteString("sellerId", sellerId);
                w.WriteString("buyerId", customer);
                w.WriteNumber("amount", 40 + (seller % 30));
                w.WriteString("currency", "EUR");
                w.WriteString("shipTo", $"{1 + (customerNumber % 200)} rue des Lilas, {10000 + customerNumber % 80000} Ville");
                w.WriteString("payment", "card-fp-" + customerNumber);
                w.WriteEndObject();
            });
        }

        var rating = Unit(seller, n, 3) < 0.8 ? 5 : 4;
        return new SynthEvent(eventId, seller, touched, false, w =>
        {
            Head(w, "review.posted", eventId, at);
            w.WriteString("reviewId", "R-" + eventId);
            w.WriteString("listingId", listing);
            w.WriteString("sellerId", sellerId);
            w.WriteString("reviewerId", customer);
            w.WriteNumber("rating", rating);
            w.WriteString("text", Text(seller, n));
            w.WriteString("orderId", orderId);
            w.WriteEndObject();
        });
    }

    private bool IsLateListing(int j) => options.LateListingEvery > 0 && j > 0 && j % options.LateListingEvery == 0;

    /// <summary>NDJSON of the events, one per line.</summary>
    public static byte[] Ndjson(IReadOnlyList<SynthEvent> events)
    {
        var buffer = new ArrayBufferWriter<byte>(events.Count * 360);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        foreach (var e in events)
        {
            e.Write(writer);
            writer.Flush();
            buffer.Write("\n"u8);
            writer.Reset(buffer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Head(Utf8JsonWriter w, string type, string eventId, DateTimeOffset at)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteNumber("schemaVersion", 1);
        w.WriteString("eventId", eventId);
        w.WriteString("occurredAt", at);
    }

    private static string Text(int seller, int n)
    {
        var words = new string[8];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = Words[(int)(Unit(seller, n, 10 + i) * Words.Length)];
        }

        return string.Join(' ', words);
    }

    /// <summary>A stable pseudo-random number in [0, 1) (SplitMix64 of the inputs).</summary>
    private static double Unit(int seller, int n, int salt)
    {
        var z = ((ulong)(uint)seller << 32) ^ (uint)n ^ ((ulong)salt * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
