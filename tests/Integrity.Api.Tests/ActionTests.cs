using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Integrity.Api.Tests;

/// <summary>Analyst actions over HTTP: each changes the grain's state, is audited with who, when and why, and updates the lists.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class ActionTests(ApiHostFixture host)
{
    [Fact]
    public async Task Reversal_moves_the_seller_one_step_down_and_reinstatement_to_None_each_audited_and_reflected_in_the_lists()
    {
        var scenario = new Scenarios("act1").Brushing();
        await host.IngestAsync(scenario);
        await host.WaitForAsync($"/v1/sellers/{scenario.Seller}", v => v.GetProperty("level").GetInt32() >= 3, TimeSpan.FromSeconds(60));

        // The rest of the scenario may still step the seller up; count its audit rows once all of it is applied.
        await host.WaitSettledAsync();
        var before = await host.WaitForAsync($"/v1/sellers/{scenario.Seller}", _ => true, TimeSpan.FromSeconds(10));
        var lastStep = before.GetProperty("history").EnumerateArray().Last();
        var auditBefore = await AuditCountAsync(scenario.Seller);
        using var http = QueryTests.Analyst(host);

        using var reversed = await http.PostAsync(new Uri($"/v1/sellers/{scenario.Seller}/actions", UriKind.Relative),
            QueryTests.Json("""{"action":"reverse","note":"Refunds were a carrier failure","actionId":"act1-reverse"}"""));
        var afterReverse = await reversed.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, reversed.StatusCode);
        Assert.Equal(lastStep.GetProperty("fromLevel").GetInt32(), afterReverse.GetProperty("level").GetInt32());
        var last = afterReverse.GetProperty("lastAction");
        Assert.Equal("analyst_reverse", last.GetProperty("origin").GetString());
        Assert.StartsWith("Reversed by alice (key ", last.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(lastStep.GetProperty("decisionId").GetString(), afterReverse.GetProperty("history").EnumerateArray().Last().GetProperty("reverses").GetString());
        var reverseRow = afterReverse.GetProperty("recentDecisions").EnumerateArray().First();
        Assert.Equal("action", reverseRow.GetProperty("kind").GetString());
        Assert.Equal("Refunds were a carrier failure", reverseRow.GetProperty("details").GetProperty("note").GetString());
        Assert.StartsWith("alice (key ", reverseRow.GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.Equal(auditBefore + 1, await AuditCountAsync(scenario.Seller));
        await host.WaitForAsync("/v1/cases?kind=seller&limit=200", p => !p.GetProperty("items").EnumerateArray().Any(e => e.GetProperty("id").GetString() == scenario.Seller), TimeSpan.FromSeconds(10));

        using var reinstated = await http.PostAsync(new Uri($"/v1/sellers/{scenario.Seller}/actions", UriKind.Relative),
            QueryTests.Json("""{"action":"reinstate","note":"Appeal upheld"}"""));
        var afterReinstate = await reinstated.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, reinstated.StatusCode);
        Assert.Equal(0, afterReinstate.GetProperty("level").GetInt32());
        Assert.Equal("None", afterReinstate.GetProperty("step").GetString());
        Assert.Equal("analyst_reinstate", afterReinstate.GetProperty("lastAction").GetProperty("origin").GetString());
        Assert.Equal(auditBefore + 2, await AuditCountAsync(scenario.Seller));
        await host.WaitForAsync("/v1/top-risk?kind=seller&limit=200", p => !p.GetProperty("items").EnumerateArray().Any(e => e.GetProperty("id").GetString() == scenario.Seller), TimeSpan.FromSeconds(10));
        var actions = await host.WaitForAsync($"/v1/decisions?kind=seller&type=action&limit=200",
            p => p.GetProperty("items").EnumerateArray().Count(d => d.GetProperty("entityId").GetString() == scenario.Seller) == 2, TimeSpan.FromSeconds(10));
        Assert.Equal(["analyst_reinstate", "analyst_reverse"],
            actions.GetProperty("items").EnumerateArray().Where(d => d.GetProperty("entityId").GetString() == scenario.Seller).Select(d => d.GetProperty("origin").GetString()));
    }

    [Fact]
    public async Task Retrying_an_action_with_the_same_action_id_records_it_once()
    {
        await host.IngestAsync(new Scenarios("act2").CleanSeller("S-retry-act2"));
        await host.WaitForAsync("/v1/sellers/S-retry-act2", v => v.GetProperty("kind").GetString() == "seller", TimeSpan.FromSeconds(30));
        using var http = QueryTests.Analyst(host);

        for (var i = 0; i < 2; i++)
        {
            using var response = await http.PostAsync(new Uri("/v1/sellers/S-retry-act2/actions", UriKind.Relative),
                QueryTests.Json("""{"action":"confirm","actionId":"confirm-once"}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var history = await http.GetFromJsonAsync<JsonElement>(new Uri("/v1/sellers/S-retry-act2/history", UriKind.Relative));
        Assert.Single(history.GetProperty("entries").EnumerateArray(), e => e.GetProperty("kind").GetString() == "action");
    }

    [Fact]
    public async Task Override_with_a_two_second_expiry_ends_by_itself()
    {
        await host.IngestAsync(new Scenarios("act3").CleanSeller("S-pin-act3"));
        await host.WaitForAsync("/v1/sellers/S-pin-act3", v => v.GetProperty("kind").GetString() == "seller", TimeSpan.FromSeconds(30));
        using var http = QueryTests.Analyst(host, "bob");
        var until = DateTimeOffset.UtcNow.AddSeconds(2);

        using var response = await http.PostAsync(new Uri("/v1/sellers/S-pin-act3/actions", UriKind.Relative),
            QueryTests.Json($$"""{"action":"override","level":2,"until":"{{until:O}}","note":"Hold new listings while we check"}"""));
        var pinned = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, pinned.GetProperty("level").GetInt32());
        Assert.Equal(2, pinned.GetProperty("override").GetProperty("level").GetInt32());
        Assert.Equal(until, pinned.GetProperty("override").GetProperty("until").GetDateTimeOffset());

        var ended = await host.WaitForAsync("/v1/sellers/S-pin-act3", v => v.GetProperty("override").ValueKind == JsonValueKind.Null, TimeSpan.FromSeconds(20));
        Assert.True(DateTimeOffset.UtcNow >= until);
        Assert.Equal("analyst_override", ended.GetProperty("lastAction").GetProperty("origin").GetString());
        var history = await http.GetFromJsonAsync<JsonElement>(new Uri("/v1/sellers/S-pin-act3/history", UriKind.Relative));
        var audited = history.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "action");
        Assert.Equal(until, audited.GetProperty("details").GetProperty("expiresAt").GetDateTimeOffset());
        Assert.StartsWith("bob (key ", audited.GetProperty("actor").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_action_the_entity_cannot_take_is_409_with_the_reason()
    {
        await host.IngestAsync(new Scenarios("act4").CleanSeller("S-clean-act4"));
        await host.WaitForAsync("/v1/sellers/S-clean-act4", v => v.GetProperty("kind").GetString() == "seller", TimeSpan.FromSeconds(30));
        using var http = QueryTests.Analyst(host);

        using var response = await http.PostAsync(new Uri("/v1/sellers/S-clean-act4/actions", UriKind.Relative), QueryTests.Json("""{"action":"reverse","note":"nothing to undo"}"""));

        await QueryTests.AssertProblemAsync(response, HttpStatusCode.Conflict, "has no step to reverse");
    }

    [Fact]
    public async Task Action_on_an_unknown_entity_is_404()
    {
        using var http = QueryTests.Analyst(host);

        using var response = await http.PostAsync(new Uri("/v1/listings/L-never-seen/actions", UriKind.Relative), QueryTests.Json("""{"action":"note","note":"x"}"""));

        await QueryTests.AssertProblemAsync(response, HttpStatusCode.NotFound, "No listing 'L-never-seen' is known");
    }

    [Theory]
    [InlineData("""{"action":"ban","note":"x"}""", "\"action\" must be one of confirm, reverse, reinstate, override, note; got 'ban'")]
    [InlineData("""{"action":"reinstate"}""", "\"note\" is required for reinstate")]
    [InlineData("""{"action":"override","note":"x"}""", "An override needs \"level\" between 0 and 5")]
    [InlineData("""{"action":"override","note":"x","level":9}""", "An override needs \"level\" between 0 and 5")]
    [InlineData("""{"action":"override","note":"x","level":1,"until":"2020-01-01T00:00:00Z"}""", "\"until\" must be in the future")]
    [InlineData("""{"action":"note","note":"x","level":1}""", "belong to an override only")]
    [InlineData("""{"action":"note","note":"x","actionId":"has space"}""", "\"actionId\" must be 1 to 64")]
    [InlineData("""{"action":"note","note":"x""", "The body is not a valid action")]
    [InlineData("""[1,2]""", "The body is not a valid action")]
    [InlineData("""{"action":"note","note":"just a note","action":"override","level":3}""", "\"action\" appears more than once")]
    [InlineData("""{"action":"note","note":"x","context":{"case":"a","case":"b"}}""", "\"context.case\" appears more than once")]
    [InlineData("""{"action":"note","note":"x","context":[{"a":1},{"b":1,"b":2}]}""", "\"context[1].b\" appears more than once")]
    public async Task Bad_action_is_400_with_a_clear_problem(string body, string detail)
    {
        using var http = QueryTests.Analyst(host);

        using var response = await http.PostAsync(new Uri($"/v1/sellers/{host.Seller}/actions", UriKind.Relative), QueryTests.Json(body));

        await QueryTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, detail);
    }

    [Theory]
    [InlineData(null, "Name the analyst in the X-Analyst header")]
    [InlineData("alice@example.com", "Name the analyst in the X-Analyst header")]
    public async Task Action_without_a_valid_analyst_handle_is_400(string? analyst, string detail)
    {
        using var http = host.Client(Integrity.Testing.TestSecrets.AnalystKey);
        if (analyst is not null)
        {
            http.DefaultRequestHeaders.Add("X-Analyst", analyst);
        }

        using var response = await http.PostAsync(new Uri($"/v1/sellers/{host.Seller}/actions", UriKind.Relative), QueryTests.Json("""{"action":"note","note":"x"}"""));

        await QueryTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, detail);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded", "action=note")]
    [InlineData("application/jsonfoo", """{"action":"note","note":"x"}""")]
    [InlineData("application/json-patch+json", """{"action":"note","note":"x"}""")]
    public async Task Action_in_another_content_type_is_415(string mediaType, string body)
    {
        using var http = QueryTests.Analyst(host);

        using var response = await http.PostAsync(new Uri($"/v1/sellers/{host.Seller}/actions", UriKind.Relative),
            new StringContent(body, System.Text.Encoding.UTF8, mediaType));

        await QueryTests.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "Send the action as application/json");
    }

    [Fact]
    public async Task Override_until_without_an_offset_is_400()
    {
        using var http = QueryTests.Analyst(host);
        var local = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

        using var response = await http.PostAsync(new Uri($"/v1/sellers/{host.Seller}/actions", UriKind.Relative),
            QueryTests.Json($$"""{"action":"override","level":1,"until":"{{local}}","note":"whose zone?"}"""));

        await QueryTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "\"until\" must be an ISO 8601 time with an offset");
    }

    [Fact]
    public async Task Retrying_a_note_with_the_same_action_id_records_it_once()
    {
        await host.IngestAsync(new Scenarios("act5").CleanSeller("S-note-act5"));
        await host.WaitForAsync("/v1/sellers/S-note-act5", v => v.GetProperty("kind").GetString() == "seller", TimeSpan.FromSeconds(30));
        using var http = QueryTests.Analyst(host);

        for (var i = 0; i < 2; i++)
        {
            using var response = await http.PostAsync(new Uri("/v1/sellers/S-note-act5/actions", UriKind.Relative),
                QueryTests.Json("""{"action":"note","note":"Called the seller","actionId":"note-once"}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var history = await http.GetFromJsonAsync<JsonElement>(new Uri("/v1/sellers/S-note-act5/history", UriKind.Relative));
        Assert.Single(history.GetProperty("entries").EnumerateArray(), e => e.GetProperty("kind").GetString() == "note");
    }

    [Fact]
    public async Task A_chunked_body_over_the_server_limit_is_413_with_a_problem_and_no_unhandled_error()
    {
        // Raw HTTP/1.1: the server answers long before 31 MB are sent and then closes, which HttpClient reports as a
        // failed send instead of the answer; here the answer is read while the body is still going out.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, host.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
            $"POST /v1/sellers/{host.Seller}/actions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: {Integrity.Testing.TestSecrets.AnalystKey}\r\n"
            + "X-Analyst: alice\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
        var answer = ReadResponseAsync(stream);
        var data = new byte[64 * 1024];
        Array.Fill(data, (byte)'x');
        "{\"action\":\"note\",\"note\":\""u8.CopyTo(data);
        var chunk = System.Text.Encoding.ASCII.GetBytes($"{data.Length:x}\r\n").Concat(data).Concat("\r\n"u8.ToArray()).ToArray();
        try
        {
            for (var sent = 0L; sent < 31L * 1024 * 1024 && !answer.IsCompleted; sent += data.Length)
            {
                await stream.WriteAsync(chunk);
            }
        }
        catch (IOException)
        {
            // The server closed after answering: what matters is the answer.
        }

        var (status, contentType, body) = await answer;

        Assert.Equal(413, status);
        Assert.StartsWith("application/problem+json", contentType, StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(413, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("title").GetString()));
        Assert.Contains("An action body is at most 65,536 bytes", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("unhandled exception", host.Host.Output, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Status, content type and body of one HTTP/1.1 response (Content-Length or chunked).</summary>
    private static async Task<(int Status, string ContentType, string Body)> ReadResponseAsync(Stream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOf(received, "\r\n\r\n"u8.ToArray())) < 0)
        {
            var n = await stream.ReadAsync(buffer);
            Assert.True(n > 0, "the connection closed before an answer");
            received.AddRange(buffer[..n]);
        }

        var head = System.Text.Encoding.ASCII.GetString([.. received.Take(headEnd)]).Split("\r\n");
        string? Header(string name) => head.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase)).Select(p => p[1].Trim()).FirstOrDefault();
        var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var rest = received.Skip(headEnd + 4).ToList();
        var chunked = string.Equals(Header("Transfer-Encoding"), "chunked", StringComparison.OrdinalIgnoreCase);
        var length = chunked ? -1 : int.Parse(Header("Content-Length") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        while (chunked ? !rest.TakeLast(5).SequenceEqual("0\r\n\r\n"u8.ToArray()) : rest.Count < length)
        {
            var n = await stream.ReadAsync(buffer);
            Assert.True(n > 0, "the connection closed in the middle of the answer");
            rest.AddRange(buffer[..n]);
        }

        var body = new List<byte>();
        if (chunked)
        {
            for (var at = 0; ;)
            {
                var lineEnd = IndexOf(rest.Skip(at).ToList(), "\r\n"u8.ToArray()) + at;
                var size = Convert.ToInt32(System.Text.Encoding.ASCII.GetString([.. rest.Skip(at).Take(lineEnd - at)]).Split(';')[0], 16);
                if (size == 0)
                {
                    break;
                }

                body.AddRange(rest.Skip(lineEnd + 2).Take(size));
                at = lineEnd + 2 + size + 2;
            }
        }
        else
        {
            body.AddRange(rest.Take(length));
        }

        return (status, Header("Content-Type") ?? "", System.Text.Encoding.UTF8.GetString([.. body]));
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++)
            {
                match = haystack[i + j] == needle[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }

    [Fact]
    public async Task An_analyst_handle_with_a_bidi_control_is_400()
    {
        using var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 };
        using var http = new HttpClient(handler) { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", Integrity.Testing.TestSecrets.AnalystKey);
        http.DefaultRequestHeaders.TryAddWithoutValidation("X-Analyst", "alice\u202Eecila");
        var before = await AuditCountAsync(host.Seller);

        using var response = await http.PostAsync(new Uri($"/v1/sellers/{host.Seller}/actions", UriKind.Relative), QueryTests.Json("""{"action":"note","note":"x"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await AuditCountAsync(host.Seller));
    }

    private async Task<int> AuditCountAsync(string seller)
    {
        using var http = host.Client();
        var history = await http.GetFromJsonAsync<JsonElement>(new Uri($"/v1/sellers/{seller}/history", UriKind.Relative));
        return history.GetProperty("entries").GetArrayLength();
    }
}
