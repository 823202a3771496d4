using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integrity.Ingestion.Tests;

/// <summary>
/// What a careless or hostile platform sends, over real HTTP to the real ingest app on real Azurite. Each bad line is
/// rejected with its number and reason (and dead-lettered) while the good lines of the same batch are journaled; a
/// problem of the whole body is a clear 4xx; and no body whatever gets a 5xx.
/// </summary>
[Collection(IngestAppCollection.Name)]
public sealed class HostileInputTests(IngestAppFixture fixture)
{
    private IngestApp App => fixture.App;

    private DateTimeOffset Now => App.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    [Fact]
    public async Task Lone_surrogates_invalid_utf8_nul_bytes_and_bad_property_names_cost_only_their_own_line()
    {
        var id = Unique();
        var body = Lines(
            Wire.Review($"{id}-1"),
            Wire.Review($"{id}-2", text: "nice #").Replace("#", "\\ud83d", StringComparison.Ordinal),
            Latin1(Wire.Review($"{id}-3", text: "caf#")),
            Wire.Review($"{id}-4").Replace("\"text\"", "\"te\\udc00xt\"", StringComparison.Ordinal),
            Wire.Review($"{id}-5", text: "a#b").Replace("#", "\0", StringComparison.Ordinal),
            Wire.Review($"{id}-6", text: "nul \u0000 inside"),
            Wire.Review($"{id}-7", listingId: "L-\u0000"),
            Wire.Order($"{id}-8"),
            "\u00ff\u00fe\0\0{",
            Latin1(Wire.Review($"{id}-10").Replace("\"text\"", "\"t#xt\"", StringComparison.Ordinal)));

        var (status, answer) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(3, answer["accepted"]!.GetValue<int>());
        var rejected = Rejections(answer);
        Assert.Equal([2, 3, 4, 5, 7, 9, 10], rejected.Select(r => r.Line));
        Assert.Equal("INVALID_VALUE: \"text\" is not valid Unicode: the escape \\ud83d is half of a surrogate pair without its other half", rejected[0].Text);
        Assert.Equal($"{id}-2", rejected[0].EventId);
        Assert.Matches("^MALFORMED_JSON: \"text\" is not valid UTF-8 \\(byte 0xE9 at offset [0-9]+\\); send text as UTF-8$", rejected[1].Text);
        Assert.Equal($"{id}-3", rejected[1].EventId);
        Assert.StartsWith("INVALID_VALUE: a property name is not valid Unicode", rejected[2].Text, StringComparison.Ordinal);
        Assert.StartsWith("MALFORMED_JSON: '0x00' is invalid within a JSON string", rejected[3].Text, StringComparison.Ordinal);
        Assert.StartsWith("INVALID_VALUE: \"listingId\" may contain only printable ASCII", rejected[4].Text, StringComparison.Ordinal);
        Assert.StartsWith("MALFORMED_JSON", rejected[5].Text, StringComparison.Ordinal);
        Assert.StartsWith("MALFORMED_JSON: a property name is not valid UTF-8", rejected[6].Text, StringComparison.Ordinal);
        Assert.Equal([$"{id}-1", $"{id}-6", $"{id}-8"], await JournaledAsync(id));
        await AssertDeadLetteredAsync(answer, [2, 3, 4, 5, 7, 9, 10]);
    }

    [Fact]
    public async Task Json_array_with_hostile_elements_keeps_its_good_elements()
    {
        var id = Unique();
        var body = Encoding.UTF8.GetBytes($"[{Wire.Review($"{id}-1")},{Wire.Review($"{id}-2", text: "#").Replace("#", "\\ud83d", StringComparison.Ordinal)},")
            .Concat(Latin1(Wire.Review($"{id}-3", text: "caf#")))
            .Concat(Encoding.UTF8.GetBytes($",{Wire.Order($"{id}-4")}]"))
            .ToArray();

        var (status, answer) = await PostAsync(body, "application/json");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(2, answer["accepted"]!.GetValue<int>());
        Assert.Equal([(2, "INVALID_VALUE"), (3, "MALFORMED_JSON")], Rejections(answer).Select(r => (r.Line, r.Code)));
        Assert.Equal([$"{id}-1", $"{id}-4"], await JournaledAsync(id));
    }

    [Fact]
    public async Task Duplicate_keys_are_rejected_at_every_level_even_when_escaped()
    {
        var id = Unique();
        var seller = $$$"""{"type":"seller.registered","schemaVersion":1,"eventId":"{{{id}}}-3","occurredAt":"2026-11-23T10:00:00Z","sellerId":"S-{{{id}}}","identifiers":{"phone":"+33 6 11","phone":"+33 6 22"}}""";
        var body = Lines(
            Wire.Review($"{id}-1"),
            Wire.Review($"{id}-2").Replace("\"rating\":5", "\"rating\":5,\"rating\":1", StringComparison.Ordinal),
            seller,
            seller.Replace("-3\"", "-4\"", StringComparison.Ordinal).Replace("\"phone\":\"+33 6 22\"", "\"\\u0070hone\":\"+33 6 22\"", StringComparison.Ordinal),
            Wire.Order($"{id}-5").Replace("\"buyer\":{", "\"buyer\":{\"ip\":\"1.2.3.4\",\"ip\":\"5.6.7.8\",", StringComparison.Ordinal),
            Wire.Review($"{id}-6").Replace("\"type\"", "\"\\u0074ype\":\"review.posted\",\"type\"", StringComparison.Ordinal),
            Wire.Order($"{id}-7"));

        var (status, answer) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(
            [
                (2, "MALFORMED_JSON: \"rating\" appears more than once"),
                (3, "MALFORMED_JSON: \"identifiers.phone\" appears more than once"),
                (4, "MALFORMED_JSON: \"identifiers.phone\" appears more than once"),
                (5, "MALFORMED_JSON: \"buyer.ip\" appears more than once"),
                (6, "MALFORMED_JSON: \"type\" appears more than once"),
            ],
            Rejections(answer).Select(r => (r.Line, r.Text)));
        Assert.All(Rejections(answer), r => Assert.Equal($"{id}-{r.Line}", r.EventId));
        Assert.Equal([$"{id}-1", $"{id}-7"], await JournaledAsync(id));
    }

    [Fact]
    public async Task Nesting_100k_deep_is_rejected_as_a_line_or_as_the_rest_of_an_array()
    {
        var id = Unique();
        var deep = new string('[', 100_000) + new string(']', 100_000);
        var fitsInALine = new string('[', 20_000) + new string(']', 20_000);
        var ndjson = Lines(Wire.Review($"{id}-1"), deep, Wire.Review($"{id}-3").Replace("\"Great\"", fitsInALine, StringComparison.Ordinal), Wire.Order($"{id}-4"));

        var (status, answer) = await PostAsync(ndjson);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal([(2, "TOO_LONG"), (3, "MALFORMED_JSON")], Rejections(answer).Select(r => (r.Line, r.Code)));
        Assert.Contains("depth", Rejections(answer)[1].Reason, StringComparison.OrdinalIgnoreCase);

        var (arrayStatus, arrayAnswer) = await PostAsync(Encoding.UTF8.GetBytes($"[{Wire.Review($"{id}-5")},{deep}]"), "application/json");

        Assert.Equal(HttpStatusCode.Accepted, arrayStatus);
        var rest = Assert.Single(Rejections(arrayAnswer));
        Assert.Equal((2, "MALFORMED_JSON"), (rest.Line, rest.Code));
        Assert.Contains("malformed at element 2", rest.Reason, StringComparison.Ordinal);
        Assert.Equal([$"{id}-1", $"{id}-4", $"{id}-5"], await JournaledAsync(id));
    }

    [Fact]
    public async Task A_10_MiB_string_is_rejected_as_too_long_in_a_line_and_in_an_array()
    {
        var id = Unique();
        var huge = Wire.Review($"{id}-2", text: new string('x', 10 * 1024 * 1024));

        var (status, answer) = await PostAsync(Lines(Wire.Review($"{id}-1"), huge, Wire.Order($"{id}-3")));
        var (arrayStatus, arrayAnswer) = await PostAsync(Encoding.UTF8.GetBytes($"[{Wire.Review($"{id}-4")},{huge.Replace("-2\"", "-5\"", StringComparison.Ordinal)}]"), "application/json");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal([(2, "TOO_LONG")], Rejections(answer).Select(r => (r.Line, r.Code)));
        Assert.Contains("limit 65,536", Rejections(answer)[0].Reason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, arrayStatus);
        Assert.Equal([(2, "TOO_LONG")], Rejections(arrayAnswer).Select(r => (r.Line, r.Code)));
        Assert.Equal([$"{id}-1", $"{id}-3", $"{id}-4"], await JournaledAsync(id));
    }

    [Theory]
    [InlineData("application/x-ndjson", (byte)0)]
    [InlineData("application/json", (byte)' ')]
    public async Task Gzip_bomb_is_refused_with_413_once_the_decompressed_limit_is_reached(string mediaType, byte filler)
    {
        // 256 MiB inflating from a few hundred KiB: reading stops at Ingest:MaxBodyBytes (16 MiB) of it.
        var bomb = GzipOf(filler, 256L * 1024 * 1024);

        var (status, answer) = await PostAsync(bomb, mediaType, gzip: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("decompressed request body is larger than 16,777,216 bytes", answer["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_million_blank_lines_are_refused_with_413_after_reading_only_the_limit()
    {
        var (status, answer) = await PostAsync(new byte[1_000_000].Select(_ => (byte)'\n').ToArray());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("more than 10,000 blank lines (Ingest:MaxEvents", answer["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blank_lines_between_events_are_fine_under_the_limit()
    {
        var id = Unique();
        var body = string.Join("\n\r\n  \n", Enumerable.Range(1, 50).Select(i => Wire.Review($"{id}-{i}")));

        var (status, answer) = await PostAsync(Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(50, answer["accepted"]!.GetValue<int>());
    }

    [Fact]
    public async Task Far_future_times_are_rejected_and_far_past_times_follow_the_late_event_rule()
    {
        var id = Unique();
        var now = Now;
        string At(string eventId, DateTimeOffset time) => Wire.Review(eventId).Replace("2026-11-23T10:00:00Z", Iso(time), StringComparison.Ordinal);
        var body = Lines(
            At($"{id}-1", now.AddHours(1)),
            At($"{id}-2", now.AddDays(2)),
            Wire.Review($"{id}-3").Replace("2026-11-23T10:00:00Z", "9999-12-31T23:59:59Z", StringComparison.Ordinal),
            Wire.Review($"{id}-4").Replace("2026-11-23T10:00:00Z", "1970-01-01T00:00:00Z", StringComparison.Ordinal),
            Wire.Review($"{id}-5").Replace("2026-11-23T10:00:00Z", "2001-09-09T01:46:40+02:00", StringComparison.Ordinal),
            Wire.Review($"{id}-6").Replace("2026-11-23T10:00:00Z", "0001-01-01T00:00:00Z", StringComparison.Ordinal),
            Wire.Review($"{id}-7").Replace("2026-11-23T10:00:00Z", "1969-12-31T23:59:59Z", StringComparison.Ordinal));

        var (status, answer) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, status);
        var rejected = Rejections(answer);
        Assert.Equal([(2, "TIME_OUT_OF_RANGE"), (3, "TIME_OUT_OF_RANGE"), (6, "TIME_OUT_OF_RANGE"), (7, "TIME_OUT_OF_RANGE")], rejected.Select(r => (r.Line, r.Code)));
        Assert.Matches("^\"occurredAt\" is 9999-12-31T23:59:59Z, more than 1 day ahead of the server's clock \\([0-9T:Z-]+\\); an event is sent once it has happened$", rejected[1].Reason);
        Assert.Equal("\"occurredAt\" is 0001-01-01T00:00:00Z, before 1970-01-01T00:00:00Z, the earliest time accepted", rejected[2].Reason);
        Assert.All(rejected, r => Assert.Equal($"{id}-{r.Line}", r.EventId));
        Assert.Equal([$"{id}-1", $"{id}-4", $"{id}-5"], await JournaledAsync(id));
        await AssertDeadLetteredAsync(answer, [2, 3, 6, 7]);
    }

    [Fact]
    public async Task The_future_skew_is_configurable_and_validated_at_start()
    {
        await using var strict = await IngestApp.StartAsync(fixture.ConnectionString, new Dictionary<string, string?> { ["Ingest:MaxFutureSkew"] = "00:05:00" });
        var now = strict.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var id = Unique();
        using var http = strict.Client();
        using var content = new StringContent(
            Wire.Ndjson(
                Wire.Review($"{id}-1").Replace("2026-11-23T10:00:00Z", Iso(now.AddMinutes(4)), StringComparison.Ordinal),
                Wire.Review($"{id}-2").Replace("2026-11-23T10:00:00Z", Iso(now.AddMinutes(10)), StringComparison.Ordinal)),
            new UTF8Encoding(false),
            "application/x-ndjson");

        using var response = await http.PostAsync(new Uri("/v1/events", UriKind.Relative), content);

        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(1, answer["accepted"]!.GetValue<int>());
        var rejected = Assert.Single(Rejections(answer));
        Assert.Equal(2, rejected.Line);
        Assert.Contains("more than 5 minutes ahead of the server's clock", rejected.Reason, StringComparison.Ordinal);

        // Each options type that reads the invalid one reports it (the journal's reads Ingest:MaxPendingEvents).
        var invalid = await Assert.ThrowsAnyAsync<Exception>(() =>
            IngestApp.StartAsync(fixture.ConnectionString, new Dictionary<string, string?> { ["Ingest:MaxFutureSkew"] = "-00:00:01" }));
        var problems = invalid is AggregateException many ? many.InnerExceptions : [invalid];
        Assert.All(problems, p => Assert.Contains("MaxFutureSkew", Assert.IsType<OptionsValidationException>(p).Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_hostile_body_gets_a_5xx_and_good_lines_are_never_rejected()
    {
        var gen = Gen.Select(
            Gen.Select(Gen.Bool, Gen.Int[0, Snippets.Length - 1], Gen.Double.Unit, Gen.Byte, Gen.Int[0, 2]).Array[1, 12],
            Gen.Bool,
            Gen.Bool);
        await gen.SampleAsync(
            async (lines, asArray, gzip) =>
            {
                var id = Unique();
                var parts = lines.Select((l, i) => l.Item1
                    ? Encoding.UTF8.GetBytes(Wire.Review($"{id}-{i + 1}"))
                    : Mutate(Encoding.UTF8.GetBytes(Wire.Review($"m{id}-{i + 1}")), l.Item2, l.Item3, l.Item4, l.Item5)).ToList();
                parts.Insert(0, Encoding.UTF8.GetBytes(Wire.Review($"{id}-0"))); // never an empty body
                var body = asArray
                    ? [(byte)'[', .. parts.SelectMany((p, i) => i == 0 ? p : [(byte)',', .. p]), (byte)']']
                    : parts.SelectMany(p => p.Append((byte)'\n')).ToArray();

                var (status, answer) = await PostAsync(gzip ? Gzip(body) : body, asArray ? "application/json" : "application/x-ndjson", gzip);

                Assert.True((int)status < 500, $"{(int)status} for a hostile body");
                if (!asArray)
                {
                    Assert.Equal(HttpStatusCode.Accepted, status);
                    var good = lines.Select((l, i) => (l.Item1, Line: i + 2)).Where(l => l.Item1).Select(l => l.Line).Append(1).ToHashSet();
                    Assert.DoesNotContain(Rejections(answer), r => good.Contains(r.Line));
                }
            },
            iter: 60,
            threads: 2);
    }

    [Fact]
    public async Task A_body_with_broken_chunked_framing_is_a_400_problem()
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(App.Address.Host, App.Address.Port);
        var stream = tcp.GetStream();
        var line = Wire.Review(Unique());
        var request =
            $"POST /v1/events HTTP/1.1\r\nHost: {App.Address.Authority}\r\nX-Api-Key: {Integrity.Testing.TestSecrets.IngestKey}\r\n" +
            $"Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n{line.Length:x}\r\n{line}\r\nZZ\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var status = await reader.ReadLineAsync();
        var rest = await reader.ReadToEndAsync();

        Assert.Equal("HTTP/1.1 400 Bad Request", status);
        Assert.Contains("application/problem+json", rest, StringComparison.Ordinal);
        Assert.Contains("The request body could not be read", rest, StringComparison.Ordinal);
    }

    private static readonly byte[][] Snippets =
    [
        [0xE9], [0xFF], [0xED, 0xA0, 0x80], [0x00], [0xEF, 0xBB, 0xBF],
        .. new[] { "\\ud83d", "\\udc00", "\\u0000", "\\", "\"", "{", "}", "[", "]", ",", ":", ",\"rating\":1", ",\"eventId\":\"x\"", "\"9999-12-31T23:59:59Z\"", "\u202E" }
            .Select(Encoding.UTF8.GetBytes),
    ];

    /// <summary>Inserts a hostile snippet, overwrites a byte, or cuts the line short; never adds a line break.</summary>
    private static byte[] Mutate(byte[] line, int snippet, double where, byte value, int kind)
    {
        var at = (int)(where * line.Length);
        byte[] mutated = kind switch
        {
            0 => [.. line[..at], .. Snippets[snippet], .. line[at..]],
            1 => at < line.Length ? [.. line[..at], value, .. line[(at + 1)..]] : line,
            _ => line[..at],
        };
        return [.. mutated.Select(b => b is (byte)'\n' or (byte)'\r' ? (byte)' ' : b)];
    }

    private async Task<(HttpStatusCode Status, JsonObject Answer)> PostAsync(byte[] body, string mediaType = "application/x-ndjson", bool gzip = false)
    {
        using var http = App.Client();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        using var response = await http.PostAsync(new Uri("/v1/events", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {text}");
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    private async Task<List<string>> JournaledAsync(string id) =>
        [.. (await App.ReadAllRowsAsync()).SelectMany(r => r.Events).Select(e => e.EventId)
            .Where(e => e.StartsWith(id + "-", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private async Task AssertDeadLetteredAsync(JsonObject answer, int[] lines)
    {
        var requestId = answer["requestId"]!.GetValue<string>();
        var letters = await App.DeadLetters.ReadDayAsync(DateOnly.FromDateTime(Now.UtcDateTime), requestId);
        Assert.Equal(lines, letters.Select(l => l.Line).Order());
        var rejections = Rejections(answer);
        Assert.All(letters, l => Assert.Equal(rejections.Single(r => r.Line == l.Line).Reason, l.Reason));
    }

    private static List<(int Line, string? EventId, string Code, string Reason, string Text)> Rejections(JsonObject answer) =>
        [.. answer["rejected"]!.AsArray().Select(r => (
            r!["line"]!.GetValue<int>(), r["eventId"]?.GetValue<string>(), r["code"]!.GetValue<string>(), r["reason"]!.GetValue<string>(),
            $"{r["code"]!.GetValue<string>()}: {r["reason"]!.GetValue<string>()}"))];

    /// <summary>NDJSON of lines given as text, or as bytes for lines that are not valid UTF-8.</summary>
    private static byte[] Lines(params object[] lines) =>
        [.. lines.SelectMany(l => (l is byte[] b ? b : Encoding.UTF8.GetBytes((string)l)).Append((byte)'\n'))];

    /// <summary>The line in UTF-8 with each '#' replaced by a raw Latin-1 'é' (0xE9), which is not UTF-8.</summary>
    private static byte[] Latin1(string line) => [.. Encoding.UTF8.GetBytes(line).Select(b => b == '#' ? (byte)0xE9 : b)];

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    private static byte[] GzipOf(byte filler, long length)
    {
        var chunk = new byte[1024 * 1024];
        Array.Fill(chunk, filler);
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            for (long written = 0; written < length; written += chunk.Length)
            {
                gzip.Write(chunk);
            }
        }

        return buffer.ToArray();
    }

    private static string Unique() => "h" + Guid.NewGuid().ToString("N")[..10];
}
