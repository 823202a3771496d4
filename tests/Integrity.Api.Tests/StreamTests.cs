using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Integrity.Testing;

namespace Integrity.Api.Tests;

/// <summary>The live decisions feed over real HTTP: server-sent events, heartbeats, and the ticket browsers use.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class StreamTests(ApiHostFixture host)
{
    [Fact]
    public async Task Decisions_arrive_live_as_server_sent_events_with_heartbeats_between()
    {
        using var http = host.Client();
        http.Timeout = Timeout.InfiniteTimeSpan;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var response = await http.GetAsync(new Uri("/v1/decisions/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));

        var scenario = new Scenarios("sse1").Brushing();
        await host.IngestAsync(scenario);

        var heartbeats = 0;
        JsonElement? decision = null;
        string? eventName = null;
        while (decision is null && await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.StartsWith(": heartbeat", StringComparison.Ordinal))
            {
                heartbeats++;
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == "decision")
            {
                var data = JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
                if (data.GetProperty("entityId").GetString() == scenario.Seller)
                {
                    decision = data;
                }
            }
        }

        Assert.NotNull(decision);
        Assert.Equal("seller", decision.Value.GetProperty("entityKind").GetString());
        Assert.Equal("decision", decision.Value.GetProperty("kind").GetString());
        Assert.NotEmpty(decision.Value.GetProperty("reasonCodes").EnumerateArray());
        Assert.False(decision.Value.TryGetProperty("details", out _), "the feed carries summaries, not evidence");
        Assert.DoesNotContain("warehouse", decision.Value.GetRawText(), StringComparison.OrdinalIgnoreCase);
        if (heartbeats == 0)
        {
            // The decision may come before the first idle second; a heartbeat follows within one.
            while (heartbeats == 0 && await reader.ReadLineAsync(cancel.Token) is { } line)
            {
                heartbeats += line.StartsWith(": heartbeat", StringComparison.Ordinal) ? 1 : 0;
            }
        }

        Assert.True(heartbeats > 0);
    }

    [Fact]
    public async Task A_stream_ticket_opens_the_feed_and_nothing_else()
    {
        using var viewer = host.Client();
        using var issued = await viewer.PostAsync(new Uri("/v1/decisions/stream/ticket", UriKind.Relative), null);
        var ticket = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var url = ticket.GetProperty("streamUrl").GetString()!;
        Assert.True(ticket.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.DoesNotContain(TestSecrets.ViewerKey, url, StringComparison.Ordinal);

        using var anonymous = host.Client(apiKey: null);
        using (var stream = await anonymous.GetAsync(new Uri(url, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        }

        var query = url[url.IndexOf('?', StringComparison.Ordinal)..];
        using var elsewhere = await anonymous.GetAsync(new Uri("/v1/decisions" + query, UriKind.Relative));
        await QueryTests.AssertProblemAsync(elsewhere, HttpStatusCode.Unauthorized, "An API key is required");

        var forged = url[..^4] + (url.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        using var refused = await anonymous.GetAsync(new Uri(forged, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        await QueryTests.AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "stream ticket is not valid or has expired");
    }

    [Fact]
    public async Task One_key_holds_at_most_its_share_of_live_feeds_and_other_keys_still_connect()
    {
        using var feedKey = host.Client(ApiHostFixture.FeedKey);
        feedKey.Timeout = Timeout.InfiniteTimeSpan;
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < ApiHostFixture.MaxStreamClientsPerKey; i++)
            {
                var feed = await OpenFeedAsync(feedKey, "/v1/decisions/stream");
                open.Add(feed);
                Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
            }

            using (var oneMore = await OpenFeedAsync(feedKey, "/v1/decisions/stream"))
            {
                await AssertRefusedAsync(oneMore, HttpStatusCode.TooManyRequests, "already holds 3 live feeds");
            }

            // A ticket of the same key counts as the key.
            using var issued = await feedKey.PostAsync(new Uri("/v1/decisions/stream/ticket", UriKind.Relative), null);
            var url = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("streamUrl").GetString()!;
            using var anonymous = host.Client(apiKey: null);
            using (var byTicket = await OpenFeedAsync(anonymous, url))
            {
                await AssertRefusedAsync(byTicket, HttpStatusCode.TooManyRequests, "already holds 3 live feeds");
            }

            using var analyst = host.Client(TestSecrets.AnalystKey);
            using var other = await OpenFeedAsync(analyst, "/v1/decisions/stream");
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);

            // A slot the key gives back is its own again.
            open[0].Dispose();
            open.RemoveAt(0);
            var reopened = await RetryUntilAsync(() => OpenFeedAsync(feedKey, "/v1/decisions/stream"), r => r.StatusCode == HttpStatusCode.OK);
            open.Add(reopened);
        }
        finally
        {
            open.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task A_stream_ticket_opens_one_connection_only()
    {
        using var viewer = host.Client();
        using var issued = await viewer.PostAsync(new Uri("/v1/decisions/stream/ticket", UriKind.Relative), null);
        var url = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("streamUrl").GetString()!;
        using var anonymous = host.Client(apiKey: null);
        anonymous.Timeout = Timeout.InfiniteTimeSpan;

        using var first = await OpenFeedAsync(anonymous, url);
        using var second = await OpenFeedAsync(anonymous, url);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertRefusedAsync(second, HttpStatusCode.Unauthorized, "was used already");
    }

    [Fact]
    public async Task Removing_a_key_from_configuration_ends_its_live_feeds_and_its_tickets()
    {
        using var revocable = host.Client(ApiHostFixture.RevocableKey);
        revocable.Timeout = Timeout.InfiniteTimeSpan;
        using var byKey = await OpenFeedAsync(revocable, "/v1/decisions/stream");
        using var issued = await revocable.PostAsync(new Uri("/v1/decisions/stream/ticket", UriKind.Relative), null);
        var url = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("streamUrl").GetString()!;
        using var anonymous = host.Client(apiKey: null);
        anonymous.Timeout = Timeout.InfiniteTimeSpan;
        using var byTicket = await OpenFeedAsync(anonymous, url);
        using var spareIssued = await revocable.PostAsync(new Uri("/v1/decisions/stream/ticket", UriKind.Relative), null);
        var spare = (await spareIssued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("streamUrl").GetString()!;
        Assert.Equal(HttpStatusCode.OK, byKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byTicket.StatusCode);

        host.WriteReloadableViewerKeys(ApiHostFixture.FeedKey);

        // Both feeds end (their heartbeats stop and the body closes), and neither the key nor an unused ticket opens anything.
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await ReadToEndAsync(byKey, cancel.Token);
        await ReadToEndAsync(byTicket, cancel.Token);
        using var refused = await revocable.GetAsync(new Uri("/v1/me", UriKind.Relative));
        await QueryTests.AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "The API key is not valid");
        using var spareRefused = await OpenFeedAsync(anonymous, spare);
        await AssertRefusedAsync(spareRefused, HttpStatusCode.Unauthorized, "stream ticket is not valid");
    }

    /// <summary>The status first: a feed that was opened after all would never end, and reading its body would hang.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode expected, string detail)
    {
        Assert.Equal(expected, response.StatusCode);
        await QueryTests.AssertProblemAsync(response, expected, detail);
    }

    private static Task<HttpResponseMessage> OpenFeedAsync(HttpClient http, string url) =>
        http.GetAsync(new Uri(url, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);

    private static async Task ReadToEndAsync(HttpResponseMessage feed, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(await feed.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is not null)
        {
        }
    }

    /// <summary>Calls again (a quarter second apart, up to 20 s) until the answer is the one wanted; the server frees a slot once it sees the client go.</summary>
    private static async Task<HttpResponseMessage> RetryUntilAsync(Func<Task<HttpResponseMessage>> call, Func<HttpResponseMessage, bool> wanted)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var response = await call();
            if (wanted(response) || waited.Elapsed > TimeSpan.FromSeconds(20))
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(250);
        }
    }
}
