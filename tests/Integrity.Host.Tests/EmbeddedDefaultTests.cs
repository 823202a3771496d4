using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Integrity.Azurite;
using Integrity.Testing;

namespace Integrity.Host.Tests;

public sealed partial class EmbeddedDefaultTests : IDisposable
{
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("integrity-host-").FullName;

    /// <summary>
    /// The host's own Azurite saves its data as it shuts down, after the host has gone (its watchdog allows 8 s), so the
    /// folder may still be written for a few seconds; one still in use after 15 s means an Azurite was left running.
    /// </summary>
    public void Dispose()
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Directory.Delete(_workDirectory, recursive: true);
                return;
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromSeconds(15))
            {
                Thread.Sleep(250);
            }
        }
    }

    [Fact]
    public async Task Host_without_storage_configured_starts_its_own_Azurite_and_reports_healthy()
    {
        await using var host = HostProcess.Start(new Dictionary<string, string>(), _workDirectory);
        await host.WaitHealthyAsync(TimeSpan.FromSeconds(90));

        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var health = await http.GetFromJsonAsync<Dictionary<string, string>>("/health");

        Assert.Equal("healthy", health!["status"]);
        Assert.Equal("ok", health["storage"]);
        Assert.True(Directory.Exists(Path.Combine(_workDirectory, ".azurite")), "the embedded Azurite keeps its data in .azurite under the working directory");
    }

    [Fact]
    public async Task Killing_the_host_leaves_no_orphaned_Azurite()
    {
        await using var host = HostProcess.Start(new Dictionary<string, string>(), _workDirectory);
        await host.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        var azuritePid = host.EmbeddedAzuritePid() ?? throw new InvalidOperationException("The host did not log its Azurite pid:\n" + host.Output);
        Assert.True(IsRunning(azuritePid));

        await host.KillAsync();

        var waited = Stopwatch.StartNew();
        while (IsRunning(azuritePid) && waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100);
        }

        Assert.False(IsRunning(azuritePid), $"Azurite (pid {azuritePid}) outlived the killed host");
    }

    [Fact]
    public async Task Health_follows_configured_storage_going_down_and_coming_back()
    {
        await using var azurite = await LocalAzurite.StartAsync(new LocalAzuriteOptions { DataDirectory = Path.Combine(_workDirectory, "external-azurite") });
        await using var host = HostProcess.Start(
            new Dictionary<string, string>(TestSecrets.HostConfiguration) { ["Storage:ConnectionString"] = azurite.ConnectionString }, _workDirectory);
        await host.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        Assert.Null(host.EmbeddedAzuritePid());
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        await azurite.StopAsync();
        using var down = await http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Contains("unreachable", await down.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await azurite.RestartAsync();
        using var up = await http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
    }

    /// <summary>
    /// "202 means durable" on the README's default: the host is killed the moment its answer arrives, well inside the
    /// 5 s between two saves of Azurite's file store, so only its Azurite outliving it and saving on the way out (and
    /// the restarted host's Azurite waiting for that save) keeps the batch.
    /// </summary>
    [Fact]
    public async Task Events_acknowledged_right_before_the_host_is_killed_are_applied_after_a_restart()
    {
        var seller = "S-kill-" + Guid.NewGuid().ToString("N")[..8];
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var lines = new List<string> { Line("listing.created", "E0", start, ("listingId", "L-" + seller), ("sellerId", seller), ("title", "Desk lamp"), ("description", "LED"), ("categoryId", "lamps"), ("price", 35.0m), ("currency", "EUR")) };
        for (var i = 1; i < 50; i++)
        {
            lines.Add(Line("order.placed", "E" + i, start.AddSeconds(i), ("orderId", $"O{i}"), ("listingId", "L-" + seller), ("sellerId", seller), ("buyerId", $"B{i}"), ("amount", 35.0m), ("currency", "EUR"), ("shipTo", "3 rue Basse, 31000 Toulouse"), ("payment", "card-fp-" + i)));
        }

        var configuration = HostProcess.WithClusterPorts(TestSecrets.HostConfiguration);
        var first = HostProcess.Start(configuration, _workDirectory);
        await using (first)
        {
            await first.WaitHealthyAsync(TimeSpan.FromSeconds(90));
            using var http = new HttpClient { BaseAddress = first.BaseAddress };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent(string.Join("\n", lines), System.Text.Encoding.UTF8, "application/x-ndjson") };
            request.Headers.Add("X-Api-Key", TestSecrets.IngestKey);
            using var answer = await http.SendAsync(request);
            await first.KillAsync();
            Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        }

        await using var second = HostProcess.Start(configuration, _workDirectory);
        await second.WaitHealthyAsync(TimeSpan.FromSeconds(120));
        using var viewer = new HttpClient { BaseAddress = second.BaseAddress };
        viewer.DefaultRequestHeaders.Add("X-Api-Key", TestSecrets.ViewerKey);
        long applied = 0;
        var waited = Stopwatch.StartNew();
        while (applied < lines.Count && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            using var response = await viewer.GetAsync(new Uri($"/v1/sellers/{seller}", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var entity = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                applied = entity["state"]!["eventsApplied"]!.GetValue<long>();
            }

            if (applied < lines.Count)
            {
                await Task.Delay(200);
            }
        }

        Assert.Equal(lines.Count, applied);
    }

    private static string Line(string type, string eventId, DateTimeOffset at, params (string Name, object Value)[] fields)
    {
        var line = new System.Text.Json.Nodes.JsonObject { ["type"] = type, ["schemaVersion"] = 1, ["eventId"] = eventId + "-" + Guid.NewGuid().ToString("N")[..6], ["occurredAt"] = at.ToString("O") };
        foreach (var (name, value) in fields)
        {
            line[name] = System.Text.Json.Nodes.JsonValue.Create(value);
        }

        return line.ToJsonString();
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
