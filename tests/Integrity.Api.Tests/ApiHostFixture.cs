using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Integrity.Testing;

namespace Integrity.Api.Tests;

/// <summary>
/// One Azurite and one real host process (the operator's way to run it) per collection, with the test keys, and a
/// brushing seller already stepped up so every endpoint has something to show.
/// </summary>
public class ApiHostFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("integrity-api-").FullName;
    private HostProcess? _host;

    public HostProcess Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public Uri BaseAddress => Host.BaseAddress;

    /// <summary>The host's storage, for tests that reach past the API (tampering with the audit tables).</summary>
    public string StorageConnectionString => _azurite.ConnectionString;

    /// <summary>A seller the policy stepped up to PayoutsHeld; tests only read it (or note on it).</summary>
    public string Seller { get; } = "S-brush-seed";

    public string Listing { get; } = "L-brush-seed";

    public string Reviewer { get; } = "C-brush-0-seed";

    /// <summary>A viewer key only the live-feed cap test uses, kept in the reloadable settings file.</summary>
    public const string FeedKey = "test-viewer-feed-key-0123456789abcdef";

    /// <summary>A viewer key the revocation test removes from the settings file while its feeds are open.</summary>
    public const string RevocableKey = "test-viewer-revocable-key-0123456789abcdef";

    /// <summary>The version of the candidate policy running in shadow on this host.</summary>
    public const string CandidatePolicy = "candidate-e2e";

    /// <summary>Most live feeds one key may hold (QueryApi:MaxStreamClientsPerKey).</summary>
    public const int MaxStreamClientsPerKey = 3;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        WriteReloadableViewerKeys(FeedKey, RevocableKey);
        _host = HostProcess.Start(
            new Dictionary<string, string>(TestSecrets.HostConfiguration)
            {
                ["Storage:ConnectionString"] = _azurite.ConnectionString,
                ["QueryApi:HeartbeatInterval"] = "00:00:01",
                ["QueryApi:MaxStreamClientsPerKey"] = MaxStreamClientsPerKey.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Logging:LogLevel:Default"] = "Warning",

                // A candidate policy in shadow that removes every listing with any score at all: every test of the
                // collection runs beside it, and none may see it (the policy view's test reads what it would decide).
                ["ShadowPolicy:Version"] = CandidatePolicy,
                ["ShadowPolicy:Listing:Flagged"] = "1",
                ["ShadowPolicy:Listing:Suppressed"] = "2",
                ["ShadowPolicy:Listing:Removed"] = "3",
            },
            _workDirectory);
        await _host.WaitHealthyAsync(TimeSpan.FromSeconds(120));
        await SeedAsync();
    }

    /// <summary>What every test of the collection finds: the brushing seller, stepped up.</summary>
    protected virtual async Task SeedAsync()
    {
        await IngestAsync(new Scenarios("seed").Brushing());
        await WaitForAsync($"/v1/sellers/{Seller}", v => v.GetProperty("level").GetInt32() >= 3, TimeSpan.FromSeconds(60));
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
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
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
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"ingest answered {(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        Assert.True(doc.RootElement.GetProperty("rejected").GetArrayLength() == 0, $"ingest rejected lines: {body}");
    }

    /// <summary>
    /// Viewer keys in the host's appsettings.json (its working folder is its content root, and the file is reloaded
    /// on change), at list positions after the one the environment sets. Written whole and moved into place, so the
    /// host never reads half a file.
    /// </summary>
    public void WriteReloadableViewerKeys(params string[] keys)
    {
        var viewer = new System.Text.Json.Nodes.JsonObject();
        for (var i = 0; i < keys.Length; i++)
        {
            viewer[(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)] = keys[i];
        }

        var settings = new System.Text.Json.Nodes.JsonObject
        {
            ["Security"] = new System.Text.Json.Nodes.JsonObject { ["ApiKeys"] = new System.Text.Json.Nodes.JsonObject { ["Viewer"] = viewer } },
        };
        var temporary = Path.Combine(_workDirectory, $"appsettings.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temporary, settings.ToJsonString());
        File.Move(temporary, Path.Combine(_workDirectory, "appsettings.json"), overwrite: true);
    }

    /// <summary>
    /// Waits until every journal partition's checkpoint has reached its head: every event sent so far is applied and
    /// every decision it caused is audited, so nothing more is still on its way.
    /// </summary>
    public Task WaitSettledAsync() =>
        WaitForAsync("/v1/admin/progress", p => p.GetProperty("settled").GetBoolean(), TimeSpan.FromSeconds(60), TestSecrets.AnalystKey);

    /// <summary>Polls a GET (viewer key unless another is given) until the JSON answer satisfies <paramref name="done"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> done, TimeSpan timeout, string apiKey = TestSecrets.ViewerKey)
    {
        using var http = Client(apiKey);
        var waited = Stopwatch.StartNew();
        JsonElement last = default;
        while (waited.Elapsed < timeout)
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

            await Task.Delay(250);
        }

        throw new TimeoutException($"{path} did not reach the expected state within {timeout.TotalSeconds:0}s; last answer: {last}\nHost output:\n{Tail(Host.Output)}");
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}

/// <summary>The same host with nothing sent to it yet: for what a new deployment knows before its first events.</summary>
public sealed class FreshHostFixture : ApiHostFixture
{
    protected override Task SeedAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class ApiHostCollection : ICollectionFixture<ApiHostFixture>
{
    public const string Name = "API host";
}
