using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Integrity.Azurite;

namespace Integrity.Ingestion.Tests;

/// <summary>Its own Azurite on a data folder, because it stops and restarts it.</summary>
public sealed class IngestOutageTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "integrity-ingest-outage-" + Guid.NewGuid().ToString("N"));
    private LocalAzurite? _azurite;
    private IngestApp? _app;

    private LocalAzurite Azurite => _azurite!;

    private IngestApp App => _app!;

    public async Task InitializeAsync()
    {
        _azurite = await LocalAzurite.StartAsync(new LocalAzuriteOptions { DataDirectory = _dataDirectory });
        _app = await IngestApp.StartAsync(Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Journal:MaxRetries"] = "2",
            ["Journal:RetryDelay"] = "00:00:00.400",
            ["Journal:MaxRetryDelay"] = "00:00:00.400",
            ["Journal:NetworkTimeout"] = "00:00:02",
            ["Ingest:RetryAfterSeconds"] = "2",
            ["Ingest:MaxPendingEvents"] = "5",
        });
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await Azurite.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Ingest_answers_503_with_Retry_After_while_storage_is_down_and_recovers_by_itself_losing_nothing_accepted()
    {
        using var before = await PostAsync(Wire.Review("before-1"), Wire.Order("before-2", sellerId: "S-2"), "{bad");
        Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);

        await Azurite.StopAsync();
        var during = PostAsync(Wire.Review("during-1"), Wire.Review("during-2"), Wire.Review("during-3"), Wire.Review("during-4"), Wire.Review("during-5"), Wire.Review("during-6"));
        await Task.Delay(150);
        using var saturated = await PostAsync(Wire.Review("during-7"));
        using var down = await during;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), down.Headers.RetryAfter?.Delta);
        var problem = (await down.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("Storage is not answering; retry after 2 s", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, problem["storedEvents"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, saturated.StatusCode);
        Assert.NotNull(saturated.Headers.RetryAfter);
        Assert.Contains("Too many events are waiting", (await saturated.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        await Azurite.RestartAsync();
        using var after = await PostAsync(Wire.Review("after-1"), Wire.Listing("after-2", sellerId: "S-3"));
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);

        var stored = (await App.ReadAllRowsAsync()).SelectMany(r => r.Events).Select(e => e.EventId).ToHashSet();
        Assert.Superset(new HashSet<string> { "before-1", "before-2", "after-1", "after-2" }, stored);
        Assert.DoesNotContain("during-7", stored);
    }

    private async Task<HttpResponseMessage> PostAsync(params string[] lines)
    {
        using var http = App.Client();
        using var content = new StringContent(Wire.Ndjson(lines), Encoding.UTF8, "application/x-ndjson");
        return await http.PostAsync(new Uri("/v1/events", UriKind.Relative), content);
    }
}
