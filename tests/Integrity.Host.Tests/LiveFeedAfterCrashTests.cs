using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Integrity.Azurite;
using Integrity.Testing;

namespace Integrity.Host.Tests;

/// <summary>
/// The live feed after a crash. The decisions stream's producer is registered in Orleans' pub-sub state when the first
/// decision is published; a graceful stop unregisters it, a crash leaves it stored. A host restarted on that data must
/// read it back (PubSubStore on Orleans' own serializer), or its feed never goes live.
/// </summary>
public sealed class LiveFeedAfterCrashTests
{
    [Fact]
    public async Task A_host_restarted_after_a_crash_serves_live_decisions()
    {
        await using var azurite = await LocalAzurite.StartAsync();
        var configuration = HostProcess.WithClusterPorts(new Dictionary<string, string>(TestSecrets.HostConfiguration) { ["Storage:ConnectionString"] = azurite.ConnectionString });
        var workDirectory = Directory.CreateTempSubdirectory("integrity-feed-").FullName;
        var seller = "S-feed-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await using (var first = HostProcess.Start(configuration, workDirectory))
            {
                await first.WaitHealthyAsync(TimeSpan.FromSeconds(90));
                await SendSellerAsync(first.BaseAddress, seller);
                await WaitForEntityAsync(first.BaseAddress, seller);
                await NoteAsync(first.BaseAddress, seller, "before-crash");
                await first.KillAsync();
            }

            await using var second = HostProcess.Start(configuration, workDirectory);
            await second.WaitHealthyAsync(TimeSpan.FromSeconds(90));
            await WaitForEntityAsync(second.BaseAddress, seller);
            using var feed = await OpenLiveFeedAsync(second.BaseAddress, TimeSpan.FromSeconds(60));

            await NoteAsync(second.BaseAddress, seller, "after-restart");

            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            string? note = null;
            while (note is null && await feed.Reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    var data = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                    if (data.GetProperty("entityId").GetString() == seller)
                    {
                        note = data.GetRawText();
                    }
                }
            }

            Assert.NotNull(note);
            Assert.Contains("after-restart", note, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(workDirectory, recursive: true);
        }
    }

    private sealed class LiveFeed(HttpClient http, HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public StreamReader Reader => reader;

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
            http.Dispose();
        }
    }

    /// <summary>Opens the feed until its greeting says it is live (the host's subscription is up), within the bound.</summary>
    private static async Task<LiveFeed> OpenLiveFeedAsync(Uri host, TimeSpan bound)
    {
        var waited = Stopwatch.StartNew();
        string? greeting = null;
        while (waited.Elapsed < bound)
        {
            var http = new HttpClient { BaseAddress = host, Timeout = Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.Add("X-Api-Key", TestSecrets.ViewerKey);
            var response = await http.GetAsync(new Uri("/v1/decisions/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            var feed = new LiveFeed(http, response, new StreamReader(await response.Content.ReadAsStreamAsync()));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            greeting = null;
            while (greeting is null && await feed.Reader.ReadLineAsync(cancel.Token) is { } line)
            {
                greeting = line.StartsWith(": connected", StringComparison.Ordinal) ? line : null;
            }

            if (greeting?.Contains("live=yes", StringComparison.Ordinal) == true)
            {
                return feed;
            }

            feed.Dispose();
            await Task.Delay(250);
        }

        throw new TimeoutException($"The live feed did not go live within {bound.TotalSeconds:0} s; last greeting: {greeting}");
    }

    private static async Task SendSellerAsync(Uri host, string seller)
    {
        var line = $$"""{"type":"listing.created","schemaVersion":1,"eventId":"E-{{seller}}","occurredAt":"{{DateTimeOffset.UtcNow.AddMinutes(-5):O}}","listingId":"L-{{seller}}","sellerId":"{{seller}}","title":"Desk lamp","description":"LED","categoryId":"lamps","price":35.0,"currency":"EUR"}""";
        using var http = new HttpClient { BaseAddress = host };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent(line, Encoding.UTF8, "application/x-ndjson") };
        request.Headers.Add("X-Api-Key", TestSecrets.IngestKey);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static async Task WaitForEntityAsync(Uri host, string seller)
    {
        using var http = new HttpClient { BaseAddress = host };
        http.DefaultRequestHeaders.Add("X-Api-Key", TestSecrets.ViewerKey);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.GetAsync(new Uri($"/v1/sellers/{seller}", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"seller {seller} was not applied within 60 s");
            await Task.Delay(100);
        }
    }

    private static async Task NoteAsync(Uri host, string seller, string note)
    {
        using var http = new HttpClient { BaseAddress = host };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/sellers/{seller}/actions")
        {
            Content = new StringContent($$"""{"action":"note","note":"{{note}}","actionId":"{{note}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", TestSecrets.AnalystKey);
        request.Headers.Add("X-Analyst", "tester");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
