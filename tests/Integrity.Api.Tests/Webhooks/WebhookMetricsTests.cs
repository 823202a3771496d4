namespace Integrity.Api.Tests.Webhooks;

/// <summary>The webhook instruments on the engine's meter, read from the host's Prometheus scrape.</summary>
[Collection(WebhookHostCollection.Name)]
public sealed class WebhookMetricsTests(WebhookHostFixture fixture)
{
    private const string Secret = "whsec-metrics-0123456789abcdef0123456789ab";

    [Fact]
    public async Task Each_attempt_is_counted_by_endpoint_and_outcome_and_each_delivery_has_its_latency()
    {
        // The first two requests fail: two retried attempts, then everything delivered.
        await using var receiver = new LoopbackReceiver { Answer = n => n <= 2 ? 500 : 200 };
        await fixture.StartHostAsync(WebhookHostFixture.ConfiguredEndpoint("platform-m", receiver, Secret));
        var before = await fixture.WaitForScrapeAsync(_ => true);

        var suffix = "wh-m";
        await fixture.IngestAsync(new Scenarios(suffix).Brushing());
        await fixture.WaitSettledAsync();
        var audited = await fixture.AuditedAsync(suffix);
        Assert.NotEmpty(audited);
        await fixture.WaitUntilAsync(() => audited.All(a => receiver.AcceptedRequests.Any(r => r.DeliveryId == a.Id)), "every audited record delivered");
        await fixture.WaitForAsync("/v1/webhooks", l => l.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("id").GetString() == "platform-m").GetProperty("pending").GetInt32() == 0);

        // The counters move right after the round's outcomes are stored: wait for the last one, then compare exactly.
        var accepted = receiver.AcceptedRequests.Count;
        var after = await fixture.WaitForScrapeAsync(m => m.Sum("integrity_webhook_deliveries_total", "endpoint=platform-m", "outcome=delivered") >= accepted
            && m.Sum("integrity_webhook_pending", "endpoint=platform-m") == 0);
        double Delta(string name, params string[] labels) => after.Sum(name, labels) - before.Sum(name, labels);

        Assert.Equal(accepted, receiver.AcceptedRequests.Count);
        Assert.Equal(accepted, Delta("integrity_webhook_deliveries_total", "endpoint=platform-m", "outcome=delivered"));
        Assert.Equal(2, Delta("integrity_webhook_deliveries_total", "endpoint=platform-m", "outcome=retried"));
        Assert.Equal(0, Delta("integrity_webhook_deliveries_total", "endpoint=platform-m", "outcome=failed"));
        Assert.Equal(receiver.All.Count, Delta("integrity_webhook_deliveries_total", "endpoint=platform-m"));
        Assert.Equal(accepted, Delta("integrity_webhook_delivery_latency_seconds_count", "endpoint=platform-m"));
        Assert.True(Delta("integrity_webhook_delivery_latency_seconds_sum", "endpoint=platform-m") > 0);
        Assert.Equal(0, after.Sum("integrity_webhook_endpoints_paused", "endpoint=platform-m"));
        Assert.True(after.Has("integrity_webhook_endpoints_paused"));
    }
}
