using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Integrity.Domain.Wire;
using Integrity.Storage.AzureTables;
using Integrity.Testing;

namespace Integrity.Ingestion.Tests;

[Collection(IngestAppCollection.Name)]
public sealed class IngestApiTests(IngestAppFixture fixture)
{
    private IngestApp App => fixture.App;

    [Fact]
    public async Task Bad_lines_each_get_their_reason_and_the_valid_lines_of_the_same_batch_are_journaled()
    {
        var id = Unique();
        var huge = Wire.Review($"{id}-huge", text: new string('x', 1024 * 1024));
        var body = Wire.Ndjson(
            Wire.Review($"{id}-1"),
            $$"""{"type":"review.posted","schemaVersion":1,"eventId":"{{id}}-2",""",
            Wire.Review($"{id}-3").Replace("\"rating\":5", "\"rating\":\"five\"", StringComparison.Ordinal),
            Wire.Review($"{id}-4").Replace("\"listingId\":\"L-1\",", "", StringComparison.Ordinal),
            huge,
            Wire.Review($"{id}-6").Replace("review.posted", "review.deleted", StringComparison.Ordinal),
            Wire.Review($"{id}-7").Replace("\"schemaVersion\":1", "\"schemaVersion\":2", StringComparison.Ordinal),
            "",
            Wire.Order($"{id}-9"),
            Wire.Listing($"{id}-10"),
            Wire.Order($"{id}-11").Replace("\"amount\":19.99", "\"amount\":\"lots\"", StringComparison.Ordinal));

        using var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await ReadAnswerAsync(response);
        Assert.Equal(3, answer["accepted"]!.GetValue<int>());
        Assert.Equal(0, answer["duplicates"]!.GetValue<int>());
        var rejected = answer["rejected"]!.AsArray().Select(r => (
            Line: r!["line"]!.GetValue<int>(), EventId: r["eventId"]?.GetValue<string>(), Code: r["code"]!.GetValue<string>(), Reason: r["reason"]!.GetValue<string>())).ToList();
        Assert.Equal([2, 3, 4, 5, 6, 7, 11], rejected.Select(r => r.Line));
        Assert.Equal(
            ["MALFORMED_JSON", "INVALID_VALUE", "MISSING_FIELD", "TOO_LONG", "UNKNOWN_TYPE", "UNSUPPORTED_SCHEMA_VERSION", "INVALID_VALUE"],
            rejected.Select(r => r.Code));
        Assert.Equal("\"listingId\" is required", rejected[2].Reason);
        Assert.Equal($"{id}-4", rejected[2].EventId);
        Assert.Contains("\"rating\" must be an integer 1..5", rejected[1].Reason, StringComparison.Ordinal);
        Assert.Contains("limit 65,536", rejected[3].Reason, StringComparison.Ordinal);
        Assert.Contains("\"review.deleted\" is not an event type", rejected[4].Reason, StringComparison.Ordinal);
        Assert.Contains("supports schemaVersion 1, got 2", rejected[5].Reason, StringComparison.Ordinal);
        Assert.Contains("\"amount\"", rejected[6].Reason, StringComparison.Ordinal);
        Assert.Null(rejected[0].EventId);

        var journaled = (await App.ReadAllRowsAsync()).SelectMany(r => r.Events).Select(e => e.EventId).Where(e => e.StartsWith(id, StringComparison.Ordinal)).ToList();
        Assert.Equal([$"{id}-1", $"{id}-10", $"{id}-9"], journaled.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Rejected_lines_are_kept_in_the_dead_letter_table_with_line_reason_and_key_but_no_clear_identifiers()
    {
        var id = Unique();
        var badOrder = Wire.Order($"{id}-2").Replace("\"currency\":\"EUR\"", "\"currency\":\"euro\"", StringComparison.Ordinal);
        using var response = await PostAsync(Wire.Ndjson(Wire.Review($"{id}-1"), badOrder, "not json at all, phone: \"phone\":\"+33 6 12 34 56 78\""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var requestId = (await ReadAnswerAsync(response))["requestId"]!.GetValue<string>();

        var letters = await App.DeadLetters.ReadDayAsync(DateOnly.FromDateTime(DateTime.UtcNow), requestId);

        Assert.Equal([2, 3], letters.Select(l => l.Line).Order());
        var order = letters.Single(l => l.Line == 2);
        Assert.Equal("INVALID_VALUE", order.Code);
        Assert.Contains("3-letter uppercase currency code", order.Reason, StringComparison.Ordinal);
        Assert.Equal($"{id}-2", order.EventId);
        Assert.Equal("ingest", order.Source);
        Assert.Equal("ingest", order.KeyRole);
        Assert.Matches("^[0-9a-f]{12}$", order.KeyHashPrefix!);
        Assert.Equal("order.placed", order.EventType);
        Assert.Equal(new Dictionary<string, string>
        {
            ["buyerId"] = "C-1", ["eventId"] = $"{id}-2", ["listingId"] = "L-1", ["orderId"] = $"O-{id}-2", ["sellerId"] = "S-1",
        }, order.Ids);
        Assert.Equal(new IdentifierHasher(Convert.FromBase64String(TestSecrets.IdentifierHashKey)).HashLine(Encoding.UTF8.GetBytes(badOrder)), order.RawHash);
        Assert.Equal(Encoding.UTF8.GetByteCount(badOrder), order.RawBytes);
        var garbage = letters.Single(l => l.Line == 3);
        Assert.Equal("MALFORMED_JSON", garbage.Code);
        Assert.Null(garbage.EventType);
        Assert.Matches("^[0-9a-f]{32}$", garbage.RawHash!);
        await AssertNoneStoredAsync(requestId, Wire.Phone, "4111", "rue de la Paix", "euro", TestSecrets.IngestKey);
    }

    [Fact]
    public async Task Dead_letters_keep_no_personal_data_whatever_the_field_names_quoting_or_escaping()
    {
        var id = Unique();
        const string phone = "+33 6 55 44 33 22";
        const string iban = "FR76 3000 6000 0112 3456 7890 189";
        var seller = $$"""{"type":"seller.registered","schemaVersion":1,"eventId":"{{id}}-1","occurredAt":"2026-11-23T10:00:00Z","sellerId":"S-dl-{{id}}","identifiers":{},"bank_account":"{{iban}}","contact_phone":"{{phone}}"}""";
        var escaped = Wire.Order($"{id}-2").Replace("\"buyer\":{\"phone\"", "\"buyer\":{\"\\u0070hone\"", StringComparison.Ordinal)
            .Replace("\"currency\":\"EUR\"", $"\"currency\":\"{phone}\"", StringComparison.Ordinal);
        var singleQuoted = $"{{'type':'order.placed','eventId':'{id}-3','phone':'{phone}','bankAccount':'{iban}'}}";
        var unquoted = $$"""{"type":"order.placed","eventId":"{{id}}-4","phone":{{phone}},"payment":{{iban}}}""";
        var typeIsAPhone = Wire.Review($"{id}-5").Replace("review.posted", "+33655443322", StringComparison.Ordinal);

        using var response = await PostAsync(Wire.Ndjson(seller, escaped, singleQuoted, unquoted, typeIsAPhone));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var requestId = (await ReadAnswerAsync(response))["requestId"]!.GetValue<string>();
        var letters = await App.DeadLetters.ReadDayAsync(DateOnly.FromDateTime(DateTime.UtcNow), requestId);
        Assert.Equal([1, 2, 3, 4, 5], letters.Select(l => l.Line).Order());
        var first = letters.Single(l => l.Line == 1);
        Assert.Equal(("UNKNOWN_FIELD", "seller.registered", $"{id}-1", $"S-dl-{id}"), (first.Code, first.EventType, first.EventId, first.Ids!["sellerId"]));
        Assert.All(letters, l => Assert.Matches("^[0-9a-f]{32}$", l.RawHash!));
        Assert.Equal(5, letters.Select(l => l.RawHash).Distinct().Count());
        await AssertNoneStoredAsync(requestId, phone, "+33655443322", "55 44 33", "0112 3456", "6 55");
    }

    /// <summary>No property of any dead-letter row of the request, whatever its name, holds any of the texts.</summary>
    private async Task AssertNoneStoredAsync(string requestId, params string[] texts)
    {
        var table = TableServiceClients.Create(fixture.ConnectionString).GetTableClient(App.DeadLetters.TableName);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RequestId eq {requestId}")))
        {
            rows.Add(row);
        }

        Assert.NotEmpty(rows);
        foreach (var (name, value) in rows.SelectMany(r => r))
        {
            foreach (var text in texts)
            {
                Assert.False((value?.ToString() ?? "").Contains(text, StringComparison.Ordinal), $"dead-letter column {name} holds '{text}': {value}");
            }
        }
    }

    [Fact]
    public async Task Gzip_body_is_accepted()
    {
        var id = Unique();
        var body = Gzip(Wire.Ndjson(Wire.Review($"{id}-1"), Wire.Listing($"{id}-2")));
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        content.Headers.ContentEncoding.Add("gzip");
        using var http = App.Client();

        using var response = await http.PostAsync(new Uri("/v1/events", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, (await ReadAnswerAsync(response))["accepted"]!.GetValue<int>());
    }

    [Fact]
    public async Task Json_array_body_is_accepted_and_its_elements_are_numbered_like_lines()
    {
        var id = Unique();
        var body = $"[{Wire.Review($"{id}-1")},\n {{\"type\":\"nope\"}}, 42, {Wire.Order($"{id}-4")}]";
        using var response = await PostAsync(body, "application/json");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await ReadAnswerAsync(response);
        Assert.Equal(2, answer["accepted"]!.GetValue<int>());
        Assert.Equal([2, 3], answer["rejected"]!.AsArray().Select(r => r!["line"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Body_over_the_size_limit_is_refused_with_413_and_nothing_of_it_is_stored()
    {
        var id = Unique();
        var line = Wire.Review($"{id}-0", text: new string('y', 3000));
        var lines = Enumerable.Range(0, 20 * 1024 * 1024 / line.Length + 1).Select(i => Wire.Review($"{id}-{i}", text: new string('y', 3000)));
        using var response = await PostAsync(Wire.Ndjson([.. lines]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await ReadAnswerAsync(response);
        Assert.Contains("limit is 16,777,216 bytes (Ingest:MaxBodyBytes)", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain((await App.ReadAllRowsAsync()).SelectMany(r => r.Events), e => e.EventId.StartsWith(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gzip_body_that_inflates_over_the_limit_is_refused_with_413()
    {
        var lines = string.Concat(Enumerable.Repeat(Wire.Review("zip-bomb", text: new string('z', 3000)) + "\n", 6000));
        using var content = new ByteArrayContent(Gzip(lines));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        content.Headers.ContentEncoding.Add("gzip");
        using var http = App.Client();

        using var response = await http.PostAsync(new Uri("/v1/events", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("decompressed request body is larger than", (await ReadAnswerAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_events_than_the_limit_is_refused_with_413()
    {
        using var response = await PostAsync(string.Concat(Enumerable.Repeat("{}\n", 10_001)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("more than 10,000 events (Ingest:MaxEvents)", (await ReadAnswerAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "application/x-ndjson")]
    [InlineData("\n \r\n\n", "application/x-ndjson")]
    [InlineData("", "application/json")]
    [InlineData("  ", "application/json")]
    public async Task Empty_body_is_refused_with_400(string body, string mediaType)
    {
        using var response = await PostAsync(body, mediaType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("holds no events", (await ReadAnswerAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_media_type_is_refused_with_415()
    {
        using var response = await PostAsync(Wire.Review("x-1"), "text/csv");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/x-ndjson", (await ReadAnswerAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_event_ids_inside_one_request_are_accepted_once()
    {
        var id = Unique();
        using var response = await PostAsync(Wire.Ndjson(Wire.Review($"{id}-1"), Wire.Review($"{id}-2"), Wire.Review($"{id}-1"), Wire.Review($"{id}-1")));

        var answer = await ReadAnswerAsync(response);
        Assert.Equal(2, answer["accepted"]!.GetValue<int>());
        Assert.Equal(2, answer["duplicates"]!.GetValue<int>());
        Assert.Empty(answer["rejected"]!.AsArray());
        var journaled = (await App.ReadAllRowsAsync()).SelectMany(r => r.Events).Count(e => e.EventId == $"{id}-1");
        Assert.Equal(1, journaled);
    }

    [Fact]
    public async Task Same_batch_sent_twice_is_accepted_both_times_leaving_deduplication_to_the_entities()
    {
        var id = Unique();
        var body = Wire.Ndjson(Wire.Review($"{id}-1"), Wire.Order($"{id}-2"), "{oops");

        using var first = await PostAsync(body);
        using var second = await PostAsync(body);

        foreach (var response in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var answer = await ReadAnswerAsync(response);
            Assert.Equal(2, answer["accepted"]!.GetValue<int>());
            Assert.Single(answer["rejected"]!.AsArray());
        }

        Assert.Equal(2, (await App.ReadAllRowsAsync()).SelectMany(r => r.Events).Count(e => e.EventId == $"{id}-1"));
    }

    [Fact]
    public async Task Missing_key_is_401_with_a_clear_problem_body()
    {
        using var response = await PostAsync(Wire.Review("k-1"), apiKey: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("An API key is required", (await ReadAnswerAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_key_is_401()
    {
        using var response = await PostAsync(Wire.Review("k-2"), apiKey: "not-a-key-that-anyone-configured");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not valid", (await ReadAnswerAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TestSecrets.ViewerKey, "viewer")]
    [InlineData(TestSecrets.AnalystKey, "analyst")]
    public async Task Key_of_another_role_is_403_on_ingest(string key, string role)
    {
        using var response = await PostAsync(Wire.Review("k-3"), apiKey: key);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal($"This endpoint needs an API key with role 'ingest'; the key presented has role '{role}'.", (await ReadAnswerAsync(response))["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Key_in_the_authorization_header_is_accepted()
    {
        using var http = App.Client(apiKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/events", UriKind.Relative))
        {
            Content = new StringContent(Wire.Review(Unique()), Encoding.UTF8, "application/x-ndjson"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", TestSecrets.IngestKey);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string mediaType = "application/x-ndjson", string? apiKey = TestSecrets.IngestKey)
    {
        using var http = App.Client(apiKey);
        using var content = new StringContent(body, new UTF8Encoding(false), mediaType);
        return await http.PostAsync(new Uri("/v1/events", UriKind.Relative), content);
    }

    private static async Task<JsonObject> ReadAnswerAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    private static string Unique() => "t" + Guid.NewGuid().ToString("N")[..10];
}
