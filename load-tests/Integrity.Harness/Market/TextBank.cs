namespace Integrity.Harness.Market;

/// <summary>
/// Words and phrases for titles, descriptions and reviews. Honest texts are composed from several independent parts
/// plus listing-specific words and numbers, so two honest reviews rarely come out alike; fraudulent texts are
/// deliberately near-duplicates of one script, as real paid and attack reviews are.
/// </summary>
internal static class TextBank
{
    public static readonly Category[] Categories =
    [
        new("audio", "Audio", 60m, 0.5, ["earbuds", "headphones", "speaker", "soundbar", "headset"]),
        new("phone-accessories", "Phone accessories", 18m, 0.45, ["phone case", "charger", "cable", "power bank", "screen protector"]),
        new("beauty", "Beauty", 25m, 0.5, ["face cream", "serum", "lipstick", "shampoo", "face mask"]),
        new("health", "Health and supplements", 22m, 0.45, ["vitamin complex", "herbal tea", "fish oil", "protein powder", "collagen drink"]),
        new("toys", "Toys", 30m, 0.55, ["building set", "puzzle", "plush bear", "rc car", "board game"]),
        new("kitchen", "Home and kitchen", 40m, 0.6, ["kettle", "knife set", "frying pan", "blender", "coffee grinder"]),
        new("shoes", "Shoes", 70m, 0.45, ["running shoes", "sneakers", "hiking boots", "sandals", "slippers"]),
        new("sports", "Sports", 45m, 0.6, ["yoga mat", "dumbbells", "jump rope", "water bottle", "fitness band"]),
        new("watches", "Watches", 120m, 0.55, ["wrist watch", "smart watch", "chronograph", "dive watch", "watch strap"]),
        new("books", "Books", 14m, 0.35, ["novel", "cookbook", "travel guide", "comic", "notebook"]),
    ];

    public static readonly (string Name, string CategoryId)[] Brands =
    [
        ("Acoustica", "audio"), ("Lumora", "beauty"), ("Veltrix", "phone-accessories"), ("Nordhaus", "kitchen"),
        ("Kestrel Time", "watches"), ("Stridewell", "shoes"), ("Zentro", "sports"), ("Playvora", "toys"),
    ];

    public static readonly string[] StoreWords = ["Sunny", "Blue", "Maple", "Urban", "Golden", "Quiet", "Bright", "North", "River", "Pixel", "Cedar", "Lucky", "Coral", "Nimble", "Harbor"];

    public static readonly string[] StoreKinds = ["Goods", "Market", "Outlet", "Store", "Shop", "Corner", "Depot", "House", "Trading", "Supply"];

    public static readonly string[] Adjectives = ["compact", "premium", "classic", "lightweight", "durable", "portable", "everyday", "deluxe", "eco", "pro", "mini", "family"];

    public static readonly string[] Features =
    [
        "easy to clean", "gift box included", "two-year warranty", "recycled packaging", "fits most sizes", "soft-touch finish",
        "tested for daily use", "available in three colours", "ships within 24 h", "spare parts available",
    ];

    private static readonly string[] Openers5 = ["Really happy with this {0}.", "Excellent {0}, exactly as described.", "Love it.", "Great value for the price.", "Works perfectly so far.", "Second one I bought, still great."];

    private static readonly string[] Openers4 = ["Good {0} overall.", "Pretty solid.", "Does the job well.", "Nice {0}, small issues.", "Happy with it, mostly."];

    private static readonly string[] Openers3 = ["It's okay.", "Average {0}.", "Mixed feelings about this {0}.", "Fine for the price, nothing special."];

    private static readonly string[] Openers12 = ["Disappointed.", "Not what I expected.", "The {0} stopped working.", "Poor quality {0}.", "Would not buy again."];

    private static readonly string[] Middles =
    [
        "Arrived in {1} days", "Using it for {1} weeks now", "Bought it for my {2}", "Packaging was {3}", "The colour is {4} than on the photos",
        "Setup took about {1} minutes", "Matches the size chart", "Build feels {3}", "Seller answered my question quickly",
        "I compared it with two others",
    ];

    private static readonly string[] Closers = ["Recommended.", "Would buy again.", "", "Thanks!", "Four friends asked where I got it.", "Fair price.", "Let's see how it lasts.", ""];

    private static readonly string[] Relatives = ["sister", "father", "office", "kitchen", "son", "partner", "garden", "flat"];

    private static readonly string[] Packaging = ["fine", "a bit damaged", "neat", "excessive", "minimal", "solid"];

    private static readonly string[] Shades = ["a bit darker", "lighter", "more vivid", "slightly duller", "warmer"];

    /// <summary>The rating mix of honest, verified reviews: J-shaped, as on real marketplaces.</summary>
    public static int HonestRating(Random rng) => rng.NextDouble() switch
    {
        < 0.55 => 5,
        < 0.80 => 4,
        < 0.89 => 3,
        < 0.93 => 2,
        _ => 1,
    };

    public static string HonestReview(Random rng, string noun, int rating)
    {
        if (rng.NextDouble() < 0.08) return "";
        var openers = rating switch { 5 => Openers5, 4 => Openers4, 3 => Openers3, _ => Openers12 };
        var middle = string.Format(System.Globalization.CultureInfo.InvariantCulture, Pick(rng, Middles), noun, rng.Next(2, 15), Pick(rng, Relatives), Pick(rng, Packaging), Pick(rng, Shades));
        var text = $"{string.Format(System.Globalization.CultureInfo.InvariantCulture, Pick(rng, openers), noun)} {middle}. {Pick(rng, Closers)}";
        return text.Trim();
    }

    /// <summary>The script a paid-review ring is handed, varied only by a word or a punctuation mark.</summary>
    public static string RingReview(Random rng, string noun) =>
        $"Absolutely amazing {noun}{Pick(rng, ["!", "!!", "!!!"])} Best purchase ever, five stars, {Pick(rng, ["highly recommend", "highly recommended", "totally recommend"])} this seller to everyone{Pick(rng, ["!", ".", "!!"])}";

    public static string BrushingReview(Random rng, string noun) => Pick(rng, ["Great", "Perfect", "Excellent"]) + $" {noun}, fast shipping, 5 stars.";

    public static string DefamationReview(Random rng, string brand) =>
        $"SCAM{Pick(rng, ["!", "!!", "!!!"])} This {brand} is fake and broke after one day. Do not buy from this store, {Pick(rng, ["total rip-off", "complete rip-off", "a rip-off"])}{Pick(rng, [".", "!", "!!"])}";

    /// <summary>Descriptions with prohibited health claims, one per language the engine's lexicon covers.</summary>
    public static string ProhibitedDescription(int language) => (language % 3) switch
    {
        0 => "Natural herbal formula that cures cancer and reverses diabetes. No side effects, trusted by thousands.",
        1 => "纯天然草本配方，治愈癌症，包治百病，无副作用。每日两次。",
        _ => "Formule naturelle qui guérit le cancer. Un remède miracle sans effets secondaires, à prendre chaque matin.",
    };

    public static string HonestDescription(Random rng, string noun) =>
        $"A {Pick(rng, Adjectives)} {noun} for everyday use; {Pick(rng, Features)}, {Pick(rng, Features)}.";

    public static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];
}
