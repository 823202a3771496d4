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
}
