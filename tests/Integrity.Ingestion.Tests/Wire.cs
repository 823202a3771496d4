using System.Text.Json.Nodes;

namespace Integrity.Ingestion.Tests;

/// <summary>Wire lines as platforms send them (see the event contracts), for building test batches.</summary>
internal static class Wire
{
    public const string Phone = "+33 6 12 34 56 78";

    public static string Review(string eventId, string sellerId = "S-1", string listingId = "L-1", int rating = 5, string text = "Great") =>
        new JsonObject
        {
            ["type"] = "review.posted", ["schemaVersion"] = 1, ["eventId"] = eventId, ["occurredAt"] = "2026-11-23T10:00:00Z",
            ["reviewId"] = "R-" + eventId, ["listingId"] = listingId, ["sellerId"] = sellerId, ["reviewerId"] = "C-1", ["rating"] = rating, ["text"] = text,
        }.ToJsonString();

    public static string Order(string eventId, string sellerId = "S-1") =>
        new JsonObject
        {
            ["type"] = "order.placed", ["schemaVersion"] = 1, ["eventId"] = eventId, ["occurredAt"] = "2026-11-23T10:00:00Z",
            ["orderId"] = "O-" + eventId, ["listingId"] = "L-1", ["sellerId"] = sellerId, ["buyerId"] = "C-1", ["amount"] = 19.99m, ["currency"] = "EUR",
            ["shipTo"] = "1 rue de la Paix, Paris", ["payment"] = "4111 1111 1111 1111", ["buyer"] = new JsonObject { ["phone"] = Phone },
        }.ToJsonString();

    public static string Listing(string eventId, string sellerId = "S-1") =>
        new JsonObject
        {
            ["type"] = "listing.created", ["schemaVersion"] = 1, ["eventId"] = eventId, ["occurredAt"] = "2026-11-23T10:00:00Z",
            ["listingId"] = "L-" + eventId, ["sellerId"] = sellerId, ["title"] = "Sneakers", ["description"] = "", ["categoryId"] = "shoes",
            ["price"] = 49.5m, ["currency"] = "EUR",
        }.ToJsonString();

    public static JsonObject ReviewObject(string eventId, string sellerId = "S-1") => (JsonObject)JsonNode.Parse(Review(eventId, sellerId))!;

    public static string Ndjson(params string[] lines) => string.Join("\n", lines) + "\n";
}
