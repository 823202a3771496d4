using Integrity.Domain.Events;

namespace Integrity.Domain.Tests.Fixtures;

/// <summary>
/// Honest marketplace traffic: independent sellers with their own identifiers, listings priced around their category,
/// customers who buy across shops, review some purchases days later with varied words and ratings, occasionally
/// cancel, get refunded (and then rarely praise) or complain. Brands with their authorized sellers. No fraud at all:
/// the engine must take no decision on it.
/// </summary>
public static class HonestTraffic
{
    private static readonly string[] Words =
    [
        "sound", "battery", "delivery", "quality", "price", "packaging", "colour", "fits", "comfortable", "sturdy", "light", "heavy",
        "bass", "charging", "cable", "manual", "instructions", "setup", "easy", "quick", "slow", "okay", "decent", "solid", "nice",
        "works", "as", "expected", "my", "daughter", "son", "kitchen", "office", "travel", "gift", "second", "one", "bought", "after",
        "week", "month", "using", "daily", "would", "buy", "again", "not", "sure", "about", "durability", "but", "so", "far", "good",
        "smaller", "than", "photos", "bigger", "smell", "fabric", "stitching", "screen", "bright", "app", "pairing", "noise", "quiet",
        "loud", "warm", "cold", "handle", "lid", "box", "arrived", "early", "late", "courier", "seller", "answered", "questions",
        "returned", "exchange", "size", "medium", "large", "grip", "button", "switch", "value", "money", "cheap", "feel", "premium",
    ];

    private static readonly (string Category, decimal Median, string Noun)[] Categories =
    [
        ("audio", 80m, "headphones"), ("kitchen", 35m, "kettle"), ("garden", 25m, "hose"), ("toys", 20m, "puzzle"),
    ];

    /// <summary>About 900 events: 8 sellers, 40 listings, 120 customers, 14 days.</summary>
    public static IReadOnlyList<IntegrityEvent> Generate(int seed, int sellers = 8, int listingsPerSeller = 5, int customers = 120, int days = 14)
    {
        var random = new Random(seed);
        var b = new ScenarioBuilder(ScenarioBuilder.DefaultStart) { Prefix = $"honest{seed}" };

        b.Brand("B-honest", "Acoustica", ["acoustica"], 199m, authorized: ["H-S0"], officialStores: ["H-S1"]);
        var listings = new List<(string Id, string Seller, decimal Price)>();
        for (var s = 0; s < sellers; s++)
        {
            var sellerId = $"H-S{s}";
            b.Seller(sellerId, ScenarioBuilder.Ids(bank: $"bank-{seed}-{s}", email: $"{sellerId}-{seed}@shop.example", device: $"dev-{seed}-{s}", address: $"{s} market square"));
            for (var l = 0; l < listingsPerSeller; l++)
            {
                b.Advance(TimeSpan.FromMinutes(random.Next(5, 90)));
                var (category, median, noun) = Categories[random.Next(Categories.Length)];
                var price = Math.Round(median * (decimal)(0.7 + (random.NextDouble() * 0.6)), 2);
                var branded = s <= 1 && l == 0;
                var title = branded ? $"Acoustica {noun} {l}" : $"{Cap(Pick(random))} {noun} model {s}{l}";
                var id = $"H-L{s}-{l}";
                b.Listing(id, sellerId, title, $"A {Pick(random)} {noun} for {Pick(random)} use.", category, branded ? 189m : price);
                listings.Add((id, sellerId, branded ? 189m : price));
            }
        }

        var orders = new List<(DateTimeOffset At, Action Act)>();
        var start = b.Now;
        for (var c = 0; c < customers; c++)
        {
            var customer = $"H-C{c}";
            var purchases = random.Next(1, 5);
            for (var p = 0; p < purchases; p++)
            {
                var listing = listings[random.Next(listings.Count)];
                var at = start + TimeSpan.FromMinutes(random.Next(0, days * 24 * 60));
                var orderId = $"H-O{c}-{p}";
                var fate = random.NextDouble();
                var rating = random.NextDouble() switch { < 0.45 => 5, < 0.75 => 4, < 0.9 => 3, < 0.96 => 2, _ => 1 };
                var reviewDelay = TimeSpan.FromHours(random.Next(24, 24 * 6));
                orders.Add((at, () =>
                {
                    var order = b.Order(orderId, listing.Id, listing.Seller, customer, listing.Price);
                    var text = Sentence(random);
                    if (fate < 0.03)
                    {
                        b.Advance(TimeSpan.FromHours(2)).Cancel(order);
                        return;
                    }

                    b.Advance(TimeSpan.FromDays(2)).Deliver(order);
                    if (fate < 0.06)
                    {
                        if (fate < 0.045 && fate >= 0.03) b.Advance(TimeSpan.FromDays(1)).Complaint(listing.Id, listing.Seller, customer, ComplaintKind.Quality, orderId);
                        b.Advance(TimeSpan.FromDays(1)).Refund(order);
                        if (fate < 0.04) b.Advance(TimeSpan.FromHours(5)).Review(listing.Id, listing.Seller, customer, random.Next(1, 3), text, orderId);
                        return;
                    }

                    if (fate < 0.6) b.Advance(reviewDelay).Review(listing.Id, listing.Seller, customer, rating, text, orderId, start - TimeSpan.FromDays(400 + random.Next(900)));
                }
                ));
            }
        }

        // Platforms deliver roughly in time order; each customer's story is written from its order time.
        foreach (var (at, act) in orders.OrderBy(o => o.At))
        {
            b.At(at);
            act();
        }

        return b.Events.OrderBy(e => e.OccurredAt).ToList();
    }

    private static string Pick(Random random) => Words[random.Next(Words.Length)];

    private static string Cap(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    public static string Sentence(Random random) => Cap(string.Join(' ', Enumerable.Range(0, random.Next(8, 20)).Select(_ => Pick(random)))) + ".";
}
