using System.Globalization;
using System.Text.Json.Nodes;

namespace Integrity.Api.Tests;

/// <summary>
/// Fraud scenarios as platforms send them (wire lines, docs/events.md), each with its own id suffix so tests sharing
/// one host stay apart. Times are in the recent past, as live traffic would be.
/// </summary>
internal sealed class Scenarios(string suffix)
{
    private readonly List<string> _lines = [];
    private DateTimeOffset _now = DateTimeOffset.UtcNow.AddDays(-8);
    private int _sequence;

    public IReadOnlyList<string> Lines => _lines;

    public string Ndjson => string.Join("\n", _lines) + "\n";

    public string Seller => "S-brush-" + suffix;

    /// <summary>
    /// A seller whose orders are placed by five buyers, two shipping to its own warehouse, four in five refunded:
    /// brushing, so the policy holds its payouts.
    /// </summary>
    public Scenarios Brushing()
    {
        var seller = Seller;
        var listing = "L-brush-" + suffix;
        Event("seller.registered", new JsonObject
        {
            ["sellerId"] = seller,
            ["identifiers"] = new JsonObject { ["bankAccount"] = "FR76 1111 " + suffix, ["address"] = "7 warehouse road " + suffix, ["device"] = "dev-" + suffix },
        });
        Event("listing.created", Listing(listing, seller, "Phone case", "Silicone case", "accessories", 9m));
        for (var i = 0; i < 40; i++)
        {
            _now = _now.AddHours(3);
            var order = $"O-brush-{i}-{suffix}";
            var buyer = $"C-brush-{i % 5}-{suffix}";
            Event("order.placed", new JsonObject
            {
                ["orderId"] = order, ["listingId"] = listing, ["sellerId"] = seller, ["buyerId"] = buyer, ["amount"] = 9m, ["currency"] = "EUR",
                ["shipTo"] = i % 5 < 2 ? "7 Warehouse Road " + suffix : $"{i} other street", ["payment"] = $"card-{i % 5}-{suffix}",
            });
            if (i % 5 != 4)
            {
                _now = _now.AddHours(1);
                Event("order.refunded", new JsonObject
                {
                    ["orderId"] = order, ["listingId"] = listing, ["sellerId"] = seller, ["buyerId"] = buyer, ["amount"] = 9m, ["currency"] = "EUR",
                });
            }
        }

        return this;
    }

    /// <summary>A brand with a reference price of 199 and an unauthorized seller listing its keyword at 39.80.</summary>
    public Scenarios Counterfeit()
    {
        var brand = "B-ac-" + suffix;
        Event("brand.registered", new JsonObject
        {
            ["brandId"] = brand, ["name"] = "Acoustica " + suffix, ["keywords"] = new JsonArray("acoustica", "acoustica pro"), ["referencePrice"] = 199m,
            ["currency"] = "EUR", ["authorizedSellerIds"] = new JsonArray("S-auth-" + suffix), ["officialStoreSellerIds"] = new JsonArray("S-official-" + suffix),
        });
        Event("seller.registered", new JsonObject { ["sellerId"] = "S-fake-" + suffix, ["identifiers"] = new JsonObject() });
        Event("listing.created", Listing("L-cf-" + suffix, "S-fake-" + suffix, "ACOUSTICA Pro wireless earbuds, original", "Noise cancelling.", "audio", 39.80m));
        return this;
    }

    /// <summary>A herbal tea whose Chinese description promises cures.</summary>
    public Scenarios MedicalClaims()
    {
        Event("seller.registered", new JsonObject { ["sellerId"] = "S-herb-" + suffix, ["identifiers"] = new JsonObject() });
        Event("listing.created", Listing("L-herb-" + suffix, "S-herb-" + suffix, "天然草本茶 500g", "纯天然草本配方，根治糖尿病，包治百病，無副作用。", "health", 39m));
        return this;
    }

    /// <summary>One account's 5-star reviews of a seller's listings, none naming an order, two hours apart.</summary>
    public Scenarios UnverifiedReviews(string reviewer, int count, int first = 0)
    {
        for (var i = first; i < first + count; i++)
        {
            _now = _now.AddHours(2);
            Event("review.posted", new JsonObject
            {
                ["reviewId"] = $"R-{reviewer}-{i}", ["listingId"] = $"L-unverified-{i}-{suffix}", ["sellerId"] = "S-unverified-" + suffix, ["reviewerId"] = reviewer,
                ["rating"] = 5, ["text"] = $"Five stars, item {i} arrived quickly and works.",
            });
        }

        return this;
    }

    /// <summary>Another customer's order on another seller, and their review naming it: the platform verifies reviews.</summary>
    public Scenarios OneVerifiedReview()
    {
        _now = _now.AddMinutes(30);
        Event("order.placed", new JsonObject
        {
            ["orderId"] = "O-one-" + suffix, ["listingId"] = "L-one-" + suffix, ["sellerId"] = "S-one-" + suffix, ["buyerId"] = "C-one-" + suffix,
            ["amount"] = 20m, ["currency"] = "EUR", ["shipTo"] = "1 any street " + suffix, ["payment"] = "card-one-" + suffix,
        });
        _now = _now.AddDays(2);
        Event("review.posted", new JsonObject
        {
            ["reviewId"] = "R-one-" + suffix, ["listingId"] = "L-one-" + suffix, ["sellerId"] = "S-one-" + suffix, ["reviewerId"] = "C-one-" + suffix,
            ["rating"] = 4, ["text"] = "Arrived on time, as described.", ["orderId"] = "O-one-" + suffix,
        });
        return this;
    }

    /// <summary>A seller with nothing against it.</summary>
    public Scenarios CleanSeller(string sellerId)
    {
        Event("seller.registered", new JsonObject { ["sellerId"] = sellerId, ["identifiers"] = new JsonObject { ["email"] = $"owner-{suffix}@shop.example" } });
        return this;
    }

    /// <summary>
    /// An appeal of <paramref name="entityId"/>'s latest step (or <paramref name="decisionId"/>), filed a minute ago:
    /// after every other event of the scenario, with an event id of its own so it can be sent in a later batch.
    /// </summary>
    public Scenarios Appeal(string appealId, string entityKind, string entityId, string statement, IReadOnlyList<string> attachments, string? decisionId = null)
    {
        var line = new JsonObject
        {
            ["type"] = "appeal.filed",
            ["schemaVersion"] = 1,
            ["eventId"] = $"api-{suffix}-appeal-{appealId}",
            ["occurredAt"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["appealId"] = appealId,
            ["entityKind"] = entityKind,
            ["entityId"] = entityId,
            ["statement"] = statement,
            ["attachments"] = new JsonArray([.. attachments.Select(a => JsonValue.Create(a))]),
        };
        if (decisionId is not null)
        {
            line["decisionId"] = decisionId;
        }

        _lines.Add(line.ToJsonString());
        return this;
    }

    private static JsonObject Listing(string listing, string seller, string title, string description, string category, decimal price) => new()
    {
        ["listingId"] = listing, ["sellerId"] = seller, ["title"] = title, ["description"] = description, ["categoryId"] = category,
        ["price"] = price, ["currency"] = "EUR",
    };

    private void Event(string type, JsonObject body)
    {
        var line = new JsonObject
        {
            ["type"] = type,
            ["schemaVersion"] = 1,
            ["eventId"] = $"api-{suffix}-{++_sequence:D4}",
            ["occurredAt"] = _now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in body.ToList())
        {
            body.Remove(name);
            line[name] = value;
        }

        _lines.Add(line.ToJsonString());
    }
}
