using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Integrity.Testing;

/// <summary>
/// The real Integrity host as a separate process on a free loopback port, as an operator runs it.
/// Stops (or kills) only the process it started.
/// </summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        ProcessId = process.Id;
    }

    public Uri BaseAddress { get; }

    /// <summary>The process id, also after the process is gone (its logs still name it).</summary>
    public int ProcessId { get; }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// The configuration with silo and gateway ports of its own (free now). A host restarted on the same storage
    /// should keep them: its new silo then supersedes the dead one at the same address instead of waiting for the
    /// cluster to vote it dead.
    /// </summary>
    public static Dictionary<string, string> WithClusterPorts(IReadOnlyDictionary<string, string> configuration) =>
        new(configuration)
        {
            ["Cluster:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    /// <summary>
    /// The configuration of one silo of a cluster of host processes on one Azurite: the test keys, a ClusterId of the
    /// test's own, ports of its own, checkpoints every 500 ms and failure detection in about a second.
    /// </summary>
    public static Dictionary<string, string> ClusterSilo(string connectionString, string clusterId) =>
        WithClusterPorts(new Dictionary<string, string>(TestCoverage.With(TestSecrets.HostConfiguration))
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:ClusterId"] = clusterId,
            ["Consumers:CheckpointInterval"] = "00:00:00.500",
            ["Logging:LogLevel:Default"] = "Warning",
            // Times in the logs the cluster tests keep (HostCluster.LogPath), to put the silos' stories side by side.
            ["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss.fff ",
            // Failure detection in about a second instead of tens (the probe saw no false evictions with these).
            ["Cluster:Membership:ProbeTimeout"] = "00:00:01",
            ["Cluster:Membership:NumMissedProbesLimit"] = "2",
            ["Cluster:Membership:TableRefreshTimeout"] = "00:00:02",
            ["Cluster:Membership:IAmAliveTablePublishTimeout"] = "00:00:05",
            ["Cluster:Membership:DeathVoteExpirationTimeout"] = "00:00:10",
            // The strongly consistent directory holds a dead silo's grains back until this long after its estimated failure
            // (Orleans' 30 s matches its own 30 s failure detection; with detection in seconds, 5 s keeps the same margin).
            ["Cluster:Directory:RangeLeaseDuration"] = "00:00:05",
            // A call already routed to a silo that dies waits this out (Orleans' default is 30 s).
            ["Cluster:Messaging:ResponseTimeout"] = "00:00:10",
        });

    /// <summary>
    /// Starts Integrity.Host.dll (copied next to the test assembly) with the given configuration; silo and gateway
    /// ports are picked free unless it names them (<see cref="WithClusterPorts"/>).
    /// </summary>
    public static HostProcess Start(IReadOnlyDictionary<string, string> configuration, string workingDirectory)
    {
        if (!configuration.ContainsKey("Cluster:SiloPort"))
        {
            configuration = WithClusterPorts(configuration);
        }

        var port = FreePort();
        var hostDll = Path.Combine(AppContext.BaseDirectory, "Integrity.Host.dll");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(hostDll);
        startInfo.Environment["Urls"] = $"http://127.0.0.1:{port}";
        startInfo.Environment["Logging__Console__FormatterName"] = "simple";
        startInfo.Environment["Azurite__ToolDirectory"] = RepositoryRoot.Combine("tools", "azurite");
        foreach (var (key, value) in configuration)
        {
            startInfo.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the host.");
        var host = new HostProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => host.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => host.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until GET /health answers 200.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The host was not healthy within {timeout.TotalSeconds:0}s:\n{Output}");
    }

    /// <summary>The PID of the embedded Azurite, read from the host's own log line.</summary>
    public int? EmbeddedAzuritePid()
    {
        var match = AzuritePidPattern().Match(Output);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <summary>SIGKILL, like a crash or an operator's kill -9.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>
    /// A graceful stop, as an orchestrator asks for one: SIGTERM, then waits for the process to exit (the host stops its
    /// silo, which hands its partitions over and writes its grains' last state). Returns the exit code; past
    /// <paramref name="timeout"/> the process is killed and <see cref="TimeoutException"/> thrown.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) } })
                ?? throw new InvalidOperationException("Could not run kill."))
            {
                await kill.WaitForExitAsync();
            }

            using var waiting = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(waiting.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
                throw new TimeoutException($"The host did not stop within {timeout.TotalSeconds:0}s of SIGTERM:\n{Output}");
            }
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>A TCP port free on 127.0.0.1 right now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [GeneratedRegex(@"Azurite started \(pid (\d+)\)")]
    private static partial Regex AzuritePidPattern();
}
