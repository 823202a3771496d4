using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Integrity.Azurite;
using Integrity.Testing;

namespace Integrity.Harness.Engine;

/// <summary>
/// Silos of one cluster as real host processes on one Azurite (Azure Table membership, a ClusterId of its own), each
/// with silo and gateway ports of its own that it keeps across restarts. A silo can be killed (SIGKILL), stopped
/// gracefully (SIGTERM) and started again on the same ports. Stops and kills only the processes it started.
/// </summary>
public sealed class HostCluster : IAsyncDisposable
{
    private readonly List<Dictionary<string, string>> _configurations;
    private readonly HostProcess?[] _hosts;
    private readonly string _workDirectory;
    private readonly LocalAzurite? _ownAzurite;
    private readonly Dictionary<string, string> _lastOutputs = [];
    private string? _logName;

    private HostCluster(string connectionString, string workDirectory, List<Dictionary<string, string>> configurations, LocalAzurite? ownAzurite)
    {
        ConnectionString = connectionString;
        _workDirectory = workDirectory;
        _configurations = configurations;
        _ownAzurite = ownAzurite;
        _hosts = new HostProcess?[configurations.Count];
        ClusterId = configurations[0]["Storage:ClusterId"];
        Tables = new EngineTables(connectionString, configurations[0].GetValueOrDefault("Storage:GrainStateConnectionString"));
    }

    public string ConnectionString { get; }

    public string ClusterId { get; }

    public EngineTables Tables { get; }

    public int Count => _hosts.Length;

    /// <summary>Silo <paramref name="index"/>'s host process (its latest start).</summary>
    public HostProcess this[int index] => _hosts[index] ?? throw new InvalidOperationException($"Silo {index} was never started.");

    /// <summary>The silos whose host process is running.</summary>
    public IReadOnlyList<int> Running => [.. Enumerable.Range(0, Count).Where(i => _hosts[i] is { HasExited: false })];

    public int SiloPort(int index) => int.Parse(_configurations[index]["Cluster:SiloPort"], CultureInfo.InvariantCulture);

    /// <summary>Whether a silo address as Orleans prints it (<c>S127.0.0.1:11111:123456</c>) is silo <paramref name="index"/>.</summary>
    public bool IsSilo(string siloAddress, int index) => siloAddress.Contains($":{SiloPort(index)}:", StringComparison.Ordinal);

    /// <summary>
    /// Starts <paramref name="silos"/> silos with the cluster tests' settings (<see cref="HostProcess.ClusterSilo"/>: failure
    /// detection in about a second, checkpoints every 500 ms) on an Azurite of their own, in memory.
    /// </summary>
    public static async Task<HostCluster> StartAsync(int silos, string name, Action<Dictionary<string, string>>? configure = null, TimeSpan? healthyWithin = null)
    {
        var azurite = await LocalAzurite.StartAsync();
        var clusterId = $"{name}-{Guid.NewGuid():N}"[..Math.Min(name.Length + 9, 40)];
        var configurations = Enumerable.Range(0, silos).Select(_ =>
        {
            var c = HostProcess.ClusterSilo(azurite.ConnectionString, clusterId);
            configure?.Invoke(c);
            return c;
        }).ToList();
        var cluster = await StartAsync(azurite.ConnectionString, Directory.CreateTempSubdirectory($"integrity-{name}-").FullName, configurations, healthyWithin ?? TimeSpan.FromSeconds(120), azurite);
        cluster._logName = name;
        return cluster;
    }

    /// <summary>Where a cluster started by name leaves every silo's console when it is disposed (the last run's, to explain a failure).</summary>
    public static string LogPath(string name) => Path.Combine(Path.GetTempPath(), $"integrity-cluster-{name}.log");

    /// <summary>
    /// Starts one silo per configuration (each gets ports of its own unless it names them, and they share the first one's
    /// ClusterId, or a new one) on <paramref name="connectionString"/>'s storage, and waits until all answer /health.
    /// The folder becomes the cluster's and is deleted with it; <paramref name="ownAzurite"/>, if given, is stopped with it.
    /// </summary>
    public static async Task<HostCluster> StartAsync(
        string connectionString, string workDirectory, IEnumerable<IReadOnlyDictionary<string, string>> configurations, TimeSpan healthyWithin, LocalAzurite? ownAzurite = null)
    {
        var list = configurations.Select(c => c.ContainsKey("Cluster:SiloPort") ? new Dictionary<string, string>(c) : HostProcess.WithClusterPorts(c)).ToList();
        var clusterId = list[0].GetValueOrDefault("Storage:ClusterId") ?? "cluster-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var c in list)
        {
            c["Storage:ConnectionString"] = connectionString;
            c["Storage:ClusterId"] = clusterId;
        }

        var cluster = new HostCluster(connectionString, workDirectory, list, ownAzurite);
        try
        {
            for (var i = 0; i < list.Count; i++)
            {
                cluster._hosts[i] = HostProcess.Start(list[i], workDirectory);
            }

            await Task.WhenAll(cluster._hosts.Select(h => h!.WaitHealthyAsync(healthyWithin)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL of silo <paramref name="index"/>'s process.</summary>
    public Task KillAsync(int index) => this[index].KillAsync();

    /// <summary>A graceful stop of silo <paramref name="index"/> (SIGTERM, then its exit). Returns the exit code.</summary>
    public Task<int> StopAsync(int index, TimeSpan timeout) => this[index].StopAsync(timeout);

    /// <summary>Starts silo <paramref name="index"/> again, on the same silo and gateway ports, and waits for /health.</summary>
    public async Task RestartAsync(int index, TimeSpan healthyWithin)
    {
        if (_hosts[index] is { } previous)
        {
            if (!previous.HasExited)
            {
                throw new InvalidOperationException($"Silo {index} is still running.");
            }

            _lastOutputs[$"silo{index}-pid{previous.ProcessId}"] = previous.Output;
            await previous.DisposeAsync();
        }

        _hosts[index] = HostProcess.Start(_configurations[index], _workDirectory);
        await _hosts[index]!.WaitHealthyAsync(healthyWithin);
    }

    /// <summary>Waits until the membership table lists silo <paramref name="index"/> as Active. Returns how long it took.</summary>
    public async Task<TimeSpan> WaitActiveAsync(int index, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (!(await Tables.ActiveSiloPortsAsync(ClusterId)).Contains(SiloPort(index)))
        {
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"Silo {index} (port {SiloPort(index)}) was not Active in the membership table within {timeout.TotalSeconds:0}s.");
            }

            await Task.Delay(200);
        }

        return waited.Elapsed;
    }

    /// <summary>Partition → the silo its consumer runs on, as /v1/admin/progress of a running silo reports it.</summary>
    public async Task<Dictionary<int, string>> PartitionSilosAsync(int? via = null)
    {
        using var report = JsonDocument.Parse(await ProgressReportAsync(via));
        return report.RootElement.GetProperty("partitions").EnumerateArray()
            .Where(p => p.GetProperty("silo").ValueKind == JsonValueKind.String)
            .ToDictionary(p => p.GetProperty("partition").GetInt32(), p => p.GetProperty("silo").GetString()!);
    }

    /// <summary>The cluster's <c>/v1/admin/progress</c> report as it comes (each partition's silo, dispatched and checkpointed rows).</summary>
    public async Task<string> ProgressReportAsync(int? via = null)
    {
        using var http = new HttpClient { BaseAddress = this[via ?? Running[0]].BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("X-Api-Key", TestSecrets.AnalystKey);
        return await http.GetStringAsync(new Uri("/v1/admin/progress", UriKind.Relative));
    }

    /// <summary>
    /// Spreads <paramref name="sender"/>'s requests over the silos: every 100 ms its target moves to the next silo of
    /// <paramref name="silos"/> (all running ones when null), as a round-robin load balancer would, until cancelled.
    /// </summary>
    public async Task RoundRobinAsync(Integrity.Harness.Sending.IngestSender sender, Func<IReadOnlyList<int>>? silos, CancellationToken cancellationToken)
    {
        for (var turn = 0; !cancellationToken.IsCancellationRequested; turn++)
        {
            var up = silos?.Invoke() ?? Running;
            if (up.Count > 0)
            {
                sender.Target = this[up[turn % up.Count]].BaseAddress;
            }

            try
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Every console line of every silo process this cluster started, earlier runs of a restarted silo included.</summary>
    public string Output() => string.Join("\n", _lastOutputs.Select(o => $"== {o.Key}\n{o.Value}")
        .Concat(Enumerable.Range(0, Count).Where(i => _hosts[i] is not null).Select(i => $"== silo{i}-pid{_hosts[i]!.ProcessId}\n{_hosts[i]!.Output}")));

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_hosts.Where(h => h is not null).Select(h => h!.DisposeAsync().AsTask()));
        if (_logName is not null)
        {
            await File.WriteAllTextAsync(LogPath(_logName), Output());
        }
        if (_ownAzurite is not null)
        {
            await _ownAzurite.DisposeAsync();
        }

        DeleteQuietly(_workDirectory);
    }

    /// <summary>Deletes a folder of the run; a file a process is still closing leaves it behind, which is harmless.</summary>
    internal static void DeleteQuietly(string directory)
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
