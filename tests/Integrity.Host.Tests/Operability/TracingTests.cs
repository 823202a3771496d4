using System.Diagnostics;
using System.Net;

namespace Integrity.Host.Tests.Operability;

/// <summary>With OTEL_EXPORTER_OTLP_ENDPOINT set, the host exports traces and metrics over OTLP.</summary>
[Collection(OperabilityHostCollection.Name)]
public sealed class TracingTests(OperabilityHostFixture fixture)
{
    [Fact]
    public async Task An_ingest_request_and_the_dispatch_of_its_rows_reach_the_OTLP_endpoint_as_spans_and_metrics()
    {
        await fixture.WaitReadyAsync(TimeSpan.FromSeconds(60));
        using (var accepted = await fixture.PostEventsAsync([OpsEvents.SellerRegistered(Guid.NewGuid().ToString("N")[..8])]))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        var waited = Stopwatch.StartNew();
        bool Arrived() =>
            fixture.Otlp.Received("/v1/traces", "journal append")
            && fixture.Otlp.Received("/v1/traces", "journal dispatch")
            && fixture.Otlp.Received("/v1/traces", "POST /v1/events")
            && fixture.Otlp.Received("/v1/metrics", "integrity.ingest.requests")
            && fixture.Otlp.Received("/v1/metrics", "integrity.consumer.events");
        while (!Arrived() && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200);
        }

        Assert.True(Arrived(), $"OTLP received on {string.Join(", ", fixture.Otlp.Paths)} but not every span and metric expected");
    }
}
