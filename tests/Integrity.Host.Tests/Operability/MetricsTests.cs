using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Integrity.Testing;

namespace Integrity.Host.Tests.Operability;

/// <summary>The Prometheus scrape at /metrics: who may read it, and counters that move by exactly what happened.</summary>
[Collection(OperabilityHostCollection.Name)]
public sealed class MetricsTests(OperabilityHostFixture fixture)
{
    [Fact]
    public async Task Metrics_need_a_viewer_key_and_include_Orleans_and_runtime_meters()
    {
        using (var anonymous = fixture.Client())
        using (var none = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        }

        using (var ingest = fixture.Client(TestSecrets.IngestKey))
        using (var wrongRole = await ingest.GetAsync(new Uri("/metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrongRole.StatusCode);
        }

        using (var analyst = fixture.Client(TestSecrets.AnalystKey))
        using (var analystScrape = await analyst.GetAsync(new Uri("/metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, analystScrape.StatusCode); // an analyst key carries the viewer role
        }

        // One ingest request of its own: the ingest histogram is exported once a request was timed, whichever test runs first.
        using (var ingested = await fixture.PostEventsAsync(OpsEvents.Brushing(Guid.NewGuid().ToString("N")[..8]).Take(1).ToList()))
        {
            Assert.Equal(HttpStatusCode.Accepted, ingested.StatusCode);
        }

        var scrape = await fixture.ScrapeAsync();
        Assert.Contains(scrape.Names, n => n.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.Contains(scrape.Names, n => n.StartsWith("dotnet_", StringComparison.Ordinal));
        Assert.Contains(scrape.Names, n => n.StartsWith("http_server_request_duration", StringComparison.Ordinal));
        Assert.Contains("# HELP integrity_stored_lag_seconds Age of the oldest event", scrape.Text, StringComparison.Ordinal);
        Assert.Contains("# TYPE integrity_ingest_duration_seconds histogram", scrape.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counters_move_by_exactly_what_was_accepted_rejected_duplicated_refused_and_decided()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await fixture.WaitReadyAsync(TimeSpan.FromSeconds(60));
        await fixture.WaitSettledAsync(TimeSpan.FromSeconds(90));
        var before = await fixture.ScrapeAsync();
        var appliedBefore = await fixture.EventsAppliedAsync();

        // One accepted request: the brushing events, one of them sent twice, and two lines that are no events.
        var lines = OpsEvents.Brushing(suffix);
        var batch = new List<string>(lines) { lines[5], "{\"type\":\"order.placed\"}", "not json" };
        using (var accepted = await fixture.PostEventsAsync(batch))
        {
            var body = await accepted.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, body.ToString());
            Assert.Equal(lines.Count, body.GetProperty("accepted").GetInt32());
            Assert.Equal(1, body.GetProperty("duplicates").GetInt32());
            Assert.Equal(2, body.GetProperty("rejected").GetArrayLength());
        }

        // One refused for want of a key.
        using (var unauthorized = await fixture.PostEventsAsync([OpsEvents.SellerRegistered(suffix)], apiKey: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        }

        // One analyst note on the seller (once its events are applied, so it is known).
        await fixture.WaitSettledAsync(TimeSpan.FromSeconds(90));
        using (var analyst = fixture.Client(TestSecrets.AnalystKey))
        using (var note = new HttpRequestMessage(HttpMethod.Post, $"/v1/sellers/S-ops-{suffix}/actions"))
        {
            note.Headers.Add("X-Analyst", "ops-test");
            note.Content = JsonContent.Create(new { action = "note", note = "looked at the refunds" });
            using var noted = await analyst.SendAsync(note);
            Assert.True(noted.StatusCode == HttpStatusCode.OK, await noted.Content.ReadAsStringAsync());
        }

        // One answered 503 while storage is down (once the first batch is settled, so nothing of it is caught in the outage).
        await fixture.WaitSettledAsync(TimeSpan.FromSeconds(90));
        await fixture.Azurite.StopAsync();
        try
        {
            using var unavailable = await fixture.PostEventsAsync([OpsEvents.SellerRegistered(suffix)]);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        }
        finally
        {
            await fixture.Azurite.RestartAsync();
        }

        await fixture.WaitReadyAsync(TimeSpan.FromSeconds(90));
        await fixture.WaitSettledAsync(TimeSpan.FromSeconds(90));
        // The lag gauge follows the checkpoints as the host polls them (Ingest:StoredLagPollMilliseconds), just after.
        var after = await fixture.WaitForScrapeAsync(s => s.Sum("integrity_stored_lag_seconds") == 0, TimeSpan.FromSeconds(30));
        double Delta(string name, params string[] labels) => after.Sum(name, labels) - before.Sum(name, labels);

        Assert.Equal(1, Delta("integrity_ingest_requests_total", "outcome=accepted", "status_code=202"));
        Assert.Equal(1, Delta("integrity_ingest_requests_total", "outcome=client_error", "status_code=401"));
        Assert.Equal(1, Delta("integrity_ingest_requests_total", "outcome=unavailable", "status_code=503"));
        Assert.Equal(3, Delta("integrity_ingest_requests_total"));
        Assert.Equal(3, Delta("integrity_ingest_duration_seconds_count"));
        Assert.Equal(lines.Count, Delta("integrity_ingest_events_total", "result=accepted"));
        Assert.Equal(2, Delta("integrity_ingest_events_total", "result=rejected"));
        Assert.Equal(1, Delta("integrity_ingest_events_total", "result=duplicate"));
        Assert.Equal(2, Delta("integrity_dead_letters_total", "source=ingest"));
        Assert.Equal(0, Delta("integrity_dead_letters_total", "source=consumer"));

        // Applied by the consumers: what their own progress counters say, and more than the events (an order counts for
        // its seller, its listing and its buyer).
        var applied = Delta("integrity_consumer_events_total", "result=applied");
        Assert.Equal(await fixture.EventsAppliedAsync() - appliedBefore, (long)applied);
        Assert.True(applied > lines.Count, $"applied {applied} for {lines.Count} events");

        // Decisions: exactly the decision rows the audit index lists for this test's entities, by kind and step.
        var decisions = await DecisionsAsync(suffix);
        Assert.NotEmpty(decisions);
        Assert.Equal(decisions.Count, Delta("integrity_decisions_total"));
        foreach (var group in decisions.GroupBy(d => (d.Kind, d.Step)))
        {
            Assert.Equal(group.Count(), Delta("integrity_decisions_total", $"entity_kind={group.Key.Kind}", $"step={group.Key.Step}"));
        }

        Assert.Equal(1, Delta("integrity_analyst_actions_total", "entity_kind=seller", "action=note", "outcome=applied"));
        Assert.Equal(1, Delta("integrity_analyst_actions_total"));
        Assert.Equal(0, after.Sum("integrity_journal_backlog"));
        Assert.True(Delta("integrity_checkpoint_duration_seconds_count", "outcome=advanced") >= 1);
    }

    [Fact]
    public async Task Open_live_feeds_are_counted_while_they_are_open()
    {
        var before = (await fixture.ScrapeAsync()).Sum("integrity_sse_clients");
        using var http = fixture.Client(TestSecrets.ViewerKey);
        using (var feed = await http.GetAsync(new Uri("/v1/decisions/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
            await fixture.WaitForScrapeAsync(s => s.Sum("integrity_sse_clients") == before + 1, TimeSpan.FromSeconds(30));
        }

        await fixture.WaitForScrapeAsync(s => s.Sum("integrity_sse_clients") == before, TimeSpan.FromSeconds(30));
    }

    private async Task<List<(string Kind, string Step)>> DecisionsAsync(string suffix)
    {
        using var http = fixture.Client(TestSecrets.ViewerKey);
        var found = new List<(string, string)>();
        string? continuation = null;
        do
        {
            var page = await http.GetFromJsonAsync<JsonElement>(new Uri(
                "/v1/decisions?type=decision&limit=200" + (continuation is null ? "" : "&continuation=" + Uri.EscapeDataString(continuation)), UriKind.Relative));
            found.AddRange(page.GetProperty("items").EnumerateArray()
                .Where(d => d.GetProperty("entityId").GetString()!.EndsWith("-" + suffix, StringComparison.Ordinal))
                .Select(d => (d.GetProperty("entityKind").GetString()!, d.GetProperty("step").GetString()!)));
            continuation = page.GetProperty("continuation").GetString();
        }
        while (continuation is not null);
        return found;
    }
}
