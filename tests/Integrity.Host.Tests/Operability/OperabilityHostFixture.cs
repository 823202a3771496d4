using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integrity.Azurite;
using Integrity.Testing;

namespace Integrity.Host.Tests.Operability;

/// <summary>
/// One host process on an Azurite of its own that the tests may stop and start again, exporting over OTLP to an
/// <see cref="OtlpSink"/> on loopback, with checkpoints every 500 ms. Tests of the collection run one after another, so
/// a test that takes storage down has the host to itself.
/// </summary>
public sealed class OperabilityHostFixture : IAsyncLifetime
{
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("integrity-ops-").FullName;
    private LocalAzurite? _azurite;
    private HostProcess? _host;

    public LocalAzurite Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public HostProcess Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public OtlpSink Otlp { get; } = new();

    public async Task InitializeAsync()
    {
        _azurite = await LocalAzurite.StartAsync(new LocalAzuriteOptions { DataDirectory = Path.Combine(_workDirectory, "azurite") });
        _host = HostProcess.Start(
            new Dictionary<string, string>(TestSecrets.HostConfiguration)
            {
                ["Storage:ConnectionString"] = _azurite.ConnectionString,
                ["Consumers:CheckpointInterval"] = "00:00:00.500",
                ["Ingest:RetryAfterSeconds"] = "1",
                ["Telemetry:BacklogPollInterval"] = "00:00:00.500",
                ["Logging:LogLevel:Default"] = "Warning",
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Otlp.Endpoint.ToString().TrimEnd('/'),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
            },
            _workDirectory);
        await _host.WaitHealthyAsync(TimeSpan.FromSeconds(120));
        await WaitReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        Otlp.Dispose();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public HttpClient Client(string? apiKey = null)
    {
        var http = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return http;
    }

    /// <summary>Polls /health/ready until it answers 200.</summary>
    public Task WaitReadyAsync(TimeSpan timeout) => WaitReadinessAsync(HttpStatusCode.OK, timeout);

    /// <summary>Polls /health/ready until it answers <paramref name="status"/>; returns that answer's body.</summary>
    public async Task<JsonElement> WaitReadinessAsync(HttpStatusCode status, TimeSpan timeout)
    {
        using var http = Client();
        var waited = Stopwatch.StartNew();
        var last = "";
        while (waited.Elapsed < timeout)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == status)
                {
                    return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"/health/ready did not answer {(int)status} within {timeout.TotalSeconds:0}s; last: {last}\n{Tail(Host.Output)}");
    }

    /// <summary>Waits until every journal partition's checkpoint has reached its head (all applied, all decisions audited).</summary>
    public async Task WaitSettledAsync(TimeSpan timeout)
    {
        using var http = Client(TestSecrets.AnalystKey);
        var waited = Stopwatch.StartNew();
        var last = "";
        while (waited.Elapsed < timeout)
        {
            using var response = await http.GetAsync(new Uri("/v1/admin/progress", UriKind.Relative));
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK && JsonDocument.Parse(last).RootElement.GetProperty("settled").GetBoolean())
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The engine did not settle within {timeout.TotalSeconds:0}s; last progress: {last}\n{Tail(Host.Output)}");
    }

    /// <summary>Events applied by the partition consumers (each entity that took an event counts), from /v1/admin/progress.</summary>
    public async Task<long> EventsAppliedAsync()
    {
        using var http = Client(TestSecrets.AnalystKey);
        var progress = await http.GetFromJsonAsync<JsonElement>(new Uri("/v1/admin/progress", UriKind.Relative));
        return progress.GetProperty("partitions").EnumerateArray()
            .Sum(p => p.GetProperty("eventsApplied").ValueKind == JsonValueKind.Number ? p.GetProperty("eventsApplied").GetInt64() : 0);
    }

    /// <summary>GET /metrics with a viewer key, parsed.</summary>
    public async Task<PrometheusScrape> ScrapeAsync()
    {
        using var http = Client(TestSecrets.ViewerKey);
        return await PrometheusScrape.ReadAsync(http);
    }

    /// <summary>Scrapes until <paramref name="done"/> holds; returns that scrape.</summary>
    public async Task<PrometheusScrape> WaitForScrapeAsync(Func<PrometheusScrape, bool> done, TimeSpan timeout)
    {
        using var http = Client(TestSecrets.ViewerKey);
        return await PrometheusScrape.WaitForAsync(http, done, timeout);
    }

    public async Task<HttpResponseMessage> PostEventsAsync(IEnumerable<string> lines, string? apiKey = TestSecrets.IngestKey)
    {
        using var http = Client(apiKey);
        return await http.PostAsync(new Uri("/v1/events", UriKind.Relative), new StringContent(string.Join("\n", lines) + "\n", Encoding.UTF8, "application/x-ndjson"));
    }

    public static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}

[CollectionDefinition(Name)]
public sealed class OperabilityHostCollection : ICollectionFixture<OperabilityHostFixture>
{
    public const string Name = "Operability host";
}

/// <summary>Wire lines (docs/events.md) for the operability tests, each id carrying the test's own suffix.</summary>
internal static class OpsEvents
{
    /// <summary>
    /// A seller whose orders come from five buyers, two shipping to its own warehouse, four in five refunded: brushing,
    /// which the policy steps up (so there are decisions to count).
    /// </summary>
    public static List<string> Brushing(string suffix)
    {
        var seller = "S-ops-" + suffix;
        var listing = "L-ops-" + suffix;
        var at = DateTimeOffset.UtcNow.AddDays(-6);
        var n = 0;
        var lines = new List<string>
        {
            Line("seller.registered", suffix, ref n, at, new JsonObject
            {
                ["sellerId"] = seller,
                ["identifiers"] = new JsonObject { ["bankAccount"] = "FR76 2222 " + suffix, ["address"] = "9 depot lane " + suffix },
            }),
            Line("listing.created", suffix, ref n, at, new JsonObject
            {
                ["listingId"] = listing, ["sellerId"] = seller, ["title"] = "Charging cable", ["description"] = "USB-C, 1 m",
                ["categoryId"] = "cables", ["price"] = 7m, ["currency"] = "EUR",
            }),
        };
        for (var i = 0; i < 40; i++)
        {
            at = at.AddHours(2);
            var order = new JsonObject
            {
                ["orderId"] = $"O-ops-{i}-{suffix}", ["listingId"] = listing, ["sellerId"] = seller, ["buyerId"] = $"C-ops-{i % 5}-{suffix}",
                ["amount"] = 7m, ["currency"] = "EUR",
            };
            var placed = order.DeepClone().AsObject();
            placed["shipTo"] = i % 5 < 2 ? "9 Depot Lane " + suffix : $"{i} elm street";
            placed["payment"] = $"card-{i % 5}-{suffix}";
            lines.Add(Line("order.placed", suffix, ref n, at, placed));
            if (i % 5 != 4)
            {
                lines.Add(Line("order.refunded", suffix, ref n, at.AddMinutes(30), order));
            }
        }

        return lines;
    }

    /// <summary>One valid event about a seller of its own.</summary>
    public static string SellerRegistered(string suffix)
    {
        var n = 0;
        return Line("seller.registered", suffix, ref n, DateTimeOffset.UtcNow.AddMinutes(-1), new JsonObject { ["sellerId"] = "S-one-" + suffix, ["identifiers"] = new JsonObject() });
    }

    private static string Line(string type, string suffix, ref int n, DateTimeOffset at, JsonObject fields)
    {
        var line = new JsonObject
        {
            ["type"] = type,
            ["schemaVersion"] = 1,
            ["eventId"] = $"E-ops-{suffix}-{n++}",
            ["occurredAt"] = at.ToString("O", CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in fields)
        {
            line[name] = value?.DeepClone();
        }

        return line.ToJsonString();
    }
}
