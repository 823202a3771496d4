using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Integrity.Azurite;
using Integrity.Testing;

namespace Integrity.Host.Tests;

public sealed class EmbeddedDefaultTests : IDisposable
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
