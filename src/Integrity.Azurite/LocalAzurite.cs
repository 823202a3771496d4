using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Integrity.Azurite;

/// <summary>
/// An Azurite process this code started on loopback. It stops only that process (by its PID), and the
/// node-side watchdog (tools/azurite/run.js) ends it when this process dies without disposing it.
/// </summary>
public sealed partial class LocalAzurite : IAsyncDisposable
{
    private const int PortAttempts = 3;

    /// <summary>How long a graceful stop waits for the final save (tools/azurite/run.js allows the same).</summary>
    private static readonly TimeSpan SaveTimeout = TimeSpan.FromSeconds(60);

    private readonly LocalAzuriteOptions _options;
    private readonly string _toolDirectory;
    private readonly ILogger _logger;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private LocalAzurite(LocalAzuriteOptions options, string toolDirectory, AzuritePorts ports, ILogger logger)
    {
        _options = options;
        _toolDirectory = toolDirectory;
        Ports = ports;
        _logger = logger;
    }

    public AzuritePorts Ports { get; private set; }

    public string ConnectionString => AzuriteConnectionString.For(Ports);

    /// <summary>PID of the node process this instance started, or null when stopped.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    public static async Task<LocalAzurite> StartAsync(LocalAzuriteOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalAzuriteOptions();
        var toolDirectory = AzuriteToolDirectory.Locate(options.ToolDirectory);
        await AzuriteToolDirectory.EnsureInstalledAsync(toolDirectory, logger ?? NullLogger.Instance, cancellationToken);

        for (var attempt = 1; ; attempt++)
        {
            var azurite = new LocalAzurite(options, toolDirectory, options.Ports ?? PickFreePorts(), logger ?? NullLogger.Instance);
            try
            {
                await azurite.StartProcessAsync(cancellationToken);
                return azurite;
            }
            catch (AzuriteStartException) when (options.Ports is null && attempt < PortAttempts)
            {
                // Another process may have taken a port between picking and binding; pick again.
                await azurite.DisposeAsync();
            }
            catch
            {
                await azurite.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Stops the process and starts it again on the same ports (and data folder, if any).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync();
        await StartProcessAsync(cancellationToken);
    }

    /// <summary>
    /// Stops the process this instance started, gracefully: Azurite's file store saves only every few seconds,
    /// so closing its stdin lets tools/azurite/run.js shut it down and save; a large store takes seconds to save,
    /// so it gets <see cref="SaveTimeout"/> before it is killed.
    /// </summary>
    public Task StopAsync() => StopAsync(graceful: true);

    /// <summary>Kills the process at once (SIGKILL), like a crash: recent writes to a data folder may be lost.</summary>
    public Task KillAsync() => StopAsync(graceful: false);

    private async Task StopAsync(bool graceful)
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        try
        {
            if (graceful && !process.HasExited)
            {
                process.StandardInput.Close();
                using var grace = new CancellationTokenSource(SaveTimeout);
                await process.WaitForExitAsync(grace.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }

            LogStopped(_logger, process.Id);
        }
        catch (InvalidOperationException)
        {
            // Already exited between the check and the kill.
        }
        finally
        {
            process.Dispose();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = _toolDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in BuildArguments())
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["INTEGRITY_AZURITE_PARENT_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

        var process = Process.Start(startInfo) ?? throw new AzuriteStartException("Could not start node; is Node.js installed?");
        _process = process;
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        await WaitUntilListeningAsync(process, cancellationToken);
        LogStarted(_logger, process.Id, Ports.Blob, Ports.Queue, Ports.Table, _options.DataDirectory ?? "(in memory)");
    }

    private List<string> BuildArguments()
    {
        var arguments = new List<string>
        {
            "run.js", "--silent", "--disableTelemetry", "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--blobPort", Ports.Blob.ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", Ports.Queue.ToString(CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", Ports.Table.ToString(CultureInfo.InvariantCulture),
        };
        if (_options.DataDirectory is { } data)
        {
            // The tables hold the engine's data: readable by the owner only (a folder that exists keeps its mode).
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(data);
            else Directory.CreateDirectory(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            arguments.AddRange(["--location", Path.GetFullPath(data)]);
        }
        else
        {
            arguments.Add("--inMemoryPersistence");
        }

        return arguments;
    }

    private async Task WaitUntilListeningAsync(Process process, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        foreach (var port in new[] { Ports.Blob, Ports.Queue, Ports.Table })
        {
            while (!await AnswersAsync(http, port, cancellationToken))
            {
                if (process.HasExited)
                {
                    throw new AzuriteStartException($"Azurite exited with code {process.ExitCode} before listening on port {port}: {CapturedOutput()}");
                }

                if (waited.Elapsed > _options.StartTimeout)
                {
                    throw new AzuriteStartException($"Azurite did not answer on port {port} within {_options.StartTimeout.TotalSeconds:0}s: {CapturedOutput()}");
                }

                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient http, int port, CancellationToken cancellationToken)
    {
        try
        {
            // Any HTTP status means the service is up; only connection failures mean it is not.
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/devstoreaccount1?comp=list"), cancellationToken);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static AzuritePorts PickFreePorts()
    {
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }

            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
            return new AzuritePorts(ports[0], ports[1], ports[2]);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // Keep only the tail: enough to explain a failed start.
            if (_output.Length > 8_000)
            {
                _output.Remove(0, _output.Length - 4_000);
            }

            _output.AppendLine(line);
        }
    }

    private string CapturedOutput()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite started (pid {Pid}) on 127.0.0.1 blob {BlobPort}, queue {QueuePort}, table {TablePort}, data {Data}")]
    private static partial void LogStarted(ILogger logger, int pid, int blobPort, int queuePort, int tablePort, string data);

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite stopped (pid {Pid})")]
    private static partial void LogStopped(ILogger logger, int pid);
}

/// <summary>Azurite could not be started or did not answer.</summary>
public sealed class AzuriteStartException(string message) : Exception(message);
