using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Integrity.Testing;

namespace Integrity.Resilience.Tests;

/// <summary>Wire lines for hand-made batches, and a plain POST of them.</summary>
internal static class Lines
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(-2);

    public static string Listing(string eventId, string listingId, string sellerId, int minute = 0) => new JsonObject
    {
        ["type"] = "listing.created", ["schemaVersion"] = 1, ["eventId"] = eventId, ["occurredAt"] = At(minute),
        ["listingId"] = listingId, ["sellerId"] = sellerId, ["title"] = "Desk lamp", ["description"] = "LED, dimmable.",
        ["categoryId"] = "lamps", ["price"] = 35.0m, ["currency"] = "EUR",
    }.ToJsonString();

    public static string Order(string eventId, string listingId, string sellerId, string buyerId, int minute = 0) => new JsonObject
    {
        ["type"] = "order.placed", ["schemaVersion"] = 1, ["eventId"] = eventId, ["occurredAt"] = At(minute),
        ["orderId"] = "O-" + eventId, ["listingId"] = listingId, ["sellerId"] = sellerId, ["buyerId"] = buyerId,
        ["amount"] = 35.0m, ["currency"] = "EUR", ["shipTo"] = "3 rue Basse, 31000 Toulouse", ["payment"] = "card-fp-" + buyerId,
    }.ToJsonString();

    public static string Review(string eventId, string listingId, string sellerId, string reviewerId, int minute = 0) => new JsonObject
    {
        ["type"] = "review.posted", ["schemaVersion"] = 1, ["eventId"] = eventId, ["occurredAt"] = At(minute),
        ["reviewId"] = "R-" + eventId, ["listingId"] = listingId, ["sellerId"] = sellerId, ["reviewerId"] = reviewerId,
        ["rating"] = 4, ["text"] = "Bright enough for reading, sturdy base.",
    }.ToJsonString();

    public static async Task<(System.Net.HttpStatusCode Status, JsonNode? Answer)> PostAsync(Uri host, params string[] lines)
    {
        using var http = new HttpClient { BaseAddress = host, Timeout = TimeSpan.FromSeconds(30) };
        using var content = new StringContent(string.Join("\n", lines) + "\n", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = content };
        request.Headers.Add("X-Api-Key", TestSecrets.IngestKey);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.Length == 0 ? null : JsonNode.Parse(body));
    }

    /// <summary>What sending these lines, all accepted, makes each entity apply.</summary>
    public static EventLedger Ledger(params string[] lines) => EventLedger.Of(lines.Select((line, i) => WireLine.Read(Encoding.UTF8.GetBytes(line), i)));

    private static string At(int minute) => Start.AddMinutes(minute).ToString("O");
}
