using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Integrity.Testing;

namespace Integrity.Api.Tests.Webhooks;

/// <summary>
/// One Azurite for the webhook tests, and a real host process each test starts with the webhook settings it needs
/// (restarted on the same Azurite where a test needs that): the tests of the collection run one after another.
/// </summary>
public sealed class WebhookHostFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("integrity-webhooks-").FullName;
    private HostProcess? _host;

    public HostProcess Host => _host ?? throw new InvalidOperationException("No host is running.");

    public string StorageConnectionString => _azurite.ConnectionString;

    /// <summary>Everything every host of these tests printed, stopped ones included.</summary>
    public string AllOutput { get; private set; } = "";

    public Task InitializeAsync() => _azurite.InitializeAsync();

    /// <summary>Settings of one configured endpoint (<c>Webhooks:Endpoints:0</c>) sending to <paramref name="receiver"/>.</summary>
    public static Dictionary<string, string> ConfiguredEndpoint(string id, LoopbackReceiver receiver, string secret) => new()
    {
        ["Webhooks:Endpoints:0:Id"] = id,
        ["Webhooks:Endpoints:0:Url"] = receiver.Url.ToString(),
        ["Webhooks:Endpoints:0:Secret"] = secret,
    };

    /// <summary>Stops the running host, if any, and starts one with the test keys, fast retries and these settings.</summary>
    public async Task StartHostAsync(IReadOnlyDictionary<string, string> settings)
    {
        await StopHostAsync();
        var configuration = new Dictionary<string, string>(TestSecrets.HostConfiguration)
        {
            ["Storage:ConnectionString"] = _azurite.ConnectionString,
            ["Logging:LogLevel:Default"] = "Information",
            ["Webhooks:InitialBackoff"] = "00:00:00.200",
            ["Webhooks:MaxBackoff"] = "00:00:01",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        _host = HostProcess.Start(configuration, _workDirectory);
        await _host.WaitHealthyAsync(TimeSpan.FromSeconds(120));
    }

    /// <summary>A graceful stop (SIGTERM), as an orchestrator restarts a host.</summary>
    public async Task StopHostAsync()
    {
        if (_host is null)
        {
            return;
        }

        await _host.StopAsync(TimeSpan.FromSeconds(60));
        AllOutput += _host.Output;
        await _host.DisposeAsync();
        _host = null;
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _azurite.DisposeAsync();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public HttpClient Client(string? apiKey = TestSecrets.ViewerKey)
    {
        var http = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return http;
    }

    internal async Task IngestAsync(Scenarios scenario)
    {
        using var http = Client(TestSecrets.IngestKey);
        using var response = await http.PostAsync(new Uri("/v1/events", UriKind.Relative), new StringContent(scenario.Ndjson, Encoding.UTF8, "application/x-ndjson"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Every event sent so far applied, and every decision it caused audited (and so queued for webhooks).</summary>
    public Task WaitSettledAsync() =>
        WaitForAsync("/v1/admin/progress", p => p.GetProperty("settled").GetBoolean(), TestSecrets.AnalystKey);

    /// <summary>Ids of the decisions, actions and notes audited for entities whose id contains <paramref name="suffix"/>.</summary>
    public async Task<IReadOnlyList<(string Id, string EntityKind, string EntityId)>> AuditedAsync(string suffix)
    {
        var list = await WaitForAsync("/v1/decisions?limit=200", _ => true);
        return [.. list.GetProperty("items").EnumerateArray()
            .Where(d => d.GetProperty("entityId").GetString()!.Contains(suffix, StringComparison.Ordinal))
            .Select(d => (d.GetProperty("entryId").GetString()!, d.GetProperty("entityKind").GetString()!, d.GetProperty("entityId").GetString()!))];
    }

    /// <summary>Polls a GET until its JSON answer satisfies <paramref name="done"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> done, string apiKey = TestSecrets.ViewerKey, int timeoutSeconds = 90)
    {
        using var http = Client(apiKey);
        var waited = Stopwatch.StartNew();
        JsonElement last = default;
        while (waited.Elapsed < TimeSpan.FromSeconds(timeoutSeconds))
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                last = (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
                if (done(last))
                {
                    return last;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{path} did not reach the expected state within {timeoutSeconds}s; last answer: {last}\nHost output:\n{Tail(Host.Output)}");
    }

    /// <summary>Scrapes /metrics (with a viewer key) until <paramref name="done"/> holds; returns that scrape.</summary>
    public async Task<PrometheusScrape> WaitForScrapeAsync(Func<PrometheusScrape, bool> done, int timeoutSeconds = 60)
    {
        using var http = Client();
        return await PrometheusScrape.WaitForAsync(http, done, TimeSpan.FromSeconds(timeoutSeconds));
    }

    /// <summary>Waits until <paramref name="done"/> holds (checked every 100 ms).</summary>
    public async Task WaitUntilAsync(Func<bool> done, string what, int timeoutSeconds = 90)
    {
        var waited = Stopwatch.StartNew();
        while (!done())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(timeoutSeconds))
            {
                throw new TimeoutException($"Not within {timeoutSeconds}s: {what}\nHost output:\n{Tail(Host.Output)}");
            }

            await Task.Delay(100);
        }
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : text[^6000..];
}

[CollectionDefinition(Name)]
public sealed class WebhookHostCollection : ICollectionFixture<WebhookHostFixture>
{
    public const string Name = "Webhook host";
}
