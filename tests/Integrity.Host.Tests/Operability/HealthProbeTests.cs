using System.Net;
using System.Text.Json;

namespace Integrity.Host.Tests.Operability;

/// <summary>/health/live and /health/ready, as an orchestrator polls them, through a storage outage.</summary>
[Collection(OperabilityHostCollection.Name)]
public sealed class HealthProbeTests(OperabilityHostFixture fixture)
{
    [Fact]
    public async Task Ready_is_not_ready_while_storage_is_down_and_ready_again_after_it_returns_while_live_stays_up()
    {
        var ready = await fixture.WaitReadinessAsync(HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        Assert.Equal("healthy", ready.GetProperty("status").GetString());
        foreach (var check in new[] { "storage", "silo", "stored-lag" })
        {
            Assert.Equal("healthy", ready.GetProperty("checks").GetProperty(check).GetProperty("status").GetString());
        }

        await fixture.Azurite.StopAsync();
        JsonElement down;
        try
        {
            down = await fixture.WaitReadinessAsync(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(60));
            using var http = fixture.Client();
            using var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, live.StatusCode); // a storage outage is no reason to restart the process
        }
        finally
        {
            await fixture.Azurite.RestartAsync();
        }

        Assert.Equal("unhealthy", down.GetProperty("status").GetString());
        Assert.Equal("unhealthy", down.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
        Assert.Equal("healthy", down.GetProperty("checks").GetProperty("silo").GetProperty("status").GetString());

        var back = await fixture.WaitReadinessAsync(HttpStatusCode.OK, TimeSpan.FromSeconds(90));
        Assert.Equal("healthy", back.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Probes_need_no_key_and_the_old_health_endpoint_still_answers()
    {
        using var http = fixture.Client();
        foreach (var path in new[] { "/health", "/health/live", "/health/ready" })
        {
            await fixture.WaitReadyAsync(TimeSpan.FromSeconds(60));
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("healthy", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        }
    }
}
