using System.Security.Cryptography;
using Integrity.Azurite;
using Integrity.Testing;

namespace Integrity.LoadTests.SelfHost;

/// <summary>How the harness starts its own engine.</summary>
public sealed record SelfHostOptions
{
    /// <summary>Where Azurite keeps its data; null keeps it in memory (faster, gone when the run ends).</summary>
    public string? AzuriteDataDirectory { get; init; }

    /// <summary>Extra host settings (configuration keys with ':'), e.g. <c>Consumers:CheckpointInterval</c>.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public TimeSpan HealthyWithin { get; init; } = TimeSpan.FromSeconds(120);
}

/// <summary>
/// An Azurite and the real Integrity host process, both started by this code on free loopback ports, with fresh random
/// API keys per role. Disposing stops exactly those two processes (by the PIDs it started), never anything else;
/// <see cref="Stop"/> does the same synchronously for process-exit and signal handlers. If the harness is killed
/// outright, Azurite's own watchdog ends it; the host then has no storage and must be ended by PID (printed at start).
/// </summary>
public sealed class SelfHostedEngine : IAsyncDisposable
{
    private readonly LocalAzurite _azurite;
    private readonly HostProcess _host;
    private readonly string _workDirectory;
    private int _stopped;

    private SelfHostedEngine(LocalAzurite azurite, HostProcess host, string workDirectory, EngineKeys keys)
    {
        _azurite = azurite;
        _host = host;
        _workDirectory = workDirectory;
        Keys = keys;
    }

    public Uri BaseAddress => _host.BaseAddress;

    public string StorageConnectionString => _azurite.ConnectionString;

    public EngineKeys Keys { get; }

    public int HostProcessId => _host.ProcessId;

    public int? AzuriteProcessId => _azurite.ProcessId;

    /// <summary>What the host wrote to stdout/stderr (its log at Warning and above).</summary>
    public string HostOutput => _host.Output;

    public bool HostHasExited => _host.HasExited;

    public static async Task<SelfHostedEngine> StartAsync(SelfHostOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var workDirectory = Directory.CreateTempSubdirectory("integrity-loadtest-").FullName;
        LocalAzurite? azurite = null;
        HostProcess? host = null;
        try
        {
            azurite = await LocalAzurite.StartAsync(new LocalAzuriteOptions { DataDirectory = options.AzuriteDataDirectory }, cancellationToken: cancellationToken);
            await progress.WriteLineAsync($"self-host: Azurite pid {azurite.ProcessId} on table port {azurite.Ports.Table} ({options.AzuriteDataDirectory ?? "in memory"})");

            var keys = EngineKeys.Random();
            var configuration = new Dictionary<string, string>
            {
                ["Storage:ConnectionString"] = azurite.ConnectionString,
                ["Security:ApiKeys:Ingest:0"] = keys.Ingest,
                ["Security:ApiKeys:Analyst:0"] = keys.Analyst,
                ["Security:ApiKeys:Viewer:0"] = keys.Viewer,
                ["Security:IdentifierHashKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (key, value) in options.Settings)
            {
                configuration[key] = value;
            }

            host = HostProcess.Start(configuration, workDirectory);
            await progress.WriteLineAsync($"self-host: engine host pid {host.ProcessId} at {host.BaseAddress}, waiting for /health...");
            await host.WaitHealthyAsync(options.HealthyWithin).WaitAsync(cancellationToken);
            return new SelfHostedEngine(azurite, host, workDirectory, keys);
        }
        catch
        {
            if (host is not null) await host.DisposeAsync();
            if (azurite is not null) await azurite.DisposeAsync();
            TryDelete(workDirectory);
            throw;
        }
    }

    /// <summary>Kills the host and stops Azurite, synchronously, once (for ProcessExit and SIGTERM handlers).</summary>
    public void Stop() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
        TryDelete(_workDirectory);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>One API key per role, as the self-hosted engine was configured.</summary>
public sealed record EngineKeys(string Ingest, string Analyst, string Viewer)
{
    public static EngineKeys Random() => new(NewKey("ingest"), NewKey("analyst"), NewKey("viewer"));

    private static string NewKey(string role) => $"lt-{role}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant()}";
}
