using Integrity.Azurite;
using Integrity.Testing;

namespace Integrity.Harness.Engine;

/// <summary>
/// The real host process on a local Azurite that this code starts itself, with a data folder, so the storage
/// survives when the host is killed and the host can be restarted on it. Stops only the processes it started.
/// </summary>
public sealed class EngineUnderTest : IAsyncDisposable
{
    private readonly Dictionary<string, string> _configuration;
    private readonly string _workDirectory;

    private EngineUnderTest(LocalAzurite azurite, LocalAzurite? grainStateAzurite, string workDirectory, Dictionary<string, string> configuration)
    {
        Azurite = azurite;
        GrainStateAzurite = grainStateAzurite;
        _workDirectory = workDirectory;
        _configuration = HostProcess.WithClusterPorts(configuration);
        Tables = new EngineTables(azurite.ConnectionString, grainStateAzurite?.ConnectionString);
    }

    /// <summary>The journal's Azurite, and grain state's too unless <see cref="GrainStateAzurite"/> is set.</summary>
    public LocalAzurite Azurite { get; }

    /// <summary>A second Azurite that holds only grain state (<c>Storage:GrainStateConnectionString</c>), when asked for.</summary>
    public LocalAzurite? GrainStateAzurite { get; }

    public HostProcess? Host { get; private set; }

    public EngineTables Tables { get; }

    public Uri BaseAddress => Host?.BaseAddress ?? throw new InvalidOperationException("The host is not running.");

    /// <summary>
    /// Starts Azurite on a fresh data folder (or <paramref name="azuriteDataDirectory"/>, or in memory: it then survives
    /// host kills but not its own stop), then the host on it with the test keys and <paramref name="settings"/>. With
    /// <paramref name="separateGrainStateStorage"/> grain state goes to a second Azurite of its own.
    /// </summary>
    public static async Task<EngineUnderTest> StartAsync(
        IReadOnlyDictionary<string, string>? settings = null, TimeSpan? healthyWithin = null, bool inMemoryStorage = false, bool separateGrainStateStorage = false,
        string? azuriteDataDirectory = null, CancellationToken cancellationToken = default)
    {
        var workDirectory = Directory.CreateTempSubdirectory("integrity-engine-").FullName;
        var azurite = await LocalAzurite.StartAsync(
            new LocalAzuriteOptions { DataDirectory = inMemoryStorage ? null : azuriteDataDirectory ?? Path.Combine(workDirectory, "azurite") }, cancellationToken: cancellationToken);
        var grainStateAzurite = separateGrainStateStorage
            ? await LocalAzurite.StartAsync(new LocalAzuriteOptions { DataDirectory = inMemoryStorage ? null : Path.Combine(workDirectory, "azurite-grain-state") })
            : null;
        var configuration = new Dictionary<string, string>(TestSecrets.HostConfiguration)
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (grainStateAzurite is not null)
        {
            configuration["Storage:GrainStateConnectionString"] = grainStateAzurite.ConnectionString;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            configuration[key] = value;
        }

        var engine = new EngineUnderTest(azurite, grainStateAzurite, workDirectory, configuration);
        try
        {
            await engine.StartHostAsync(healthyWithin ?? TimeSpan.FromSeconds(90)).WaitAsync(cancellationToken);
            return engine;
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the host (again) on the same storage; it listens on a new free port.</summary>
    public async Task StartHostAsync(TimeSpan healthyWithin)
    {
        if (Host is { HasExited: false })
        {
            throw new InvalidOperationException("The host is already running.");
        }

        if (Host is not null)
        {
            await Host.DisposeAsync();
            await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "integrity-host-previous.log"), Host.Output);
        }

        Host = HostProcess.Start(_configuration, _workDirectory);
        await Host.WaitHealthyAsync(healthyWithin);
    }

    /// <summary>SIGKILL of the host process (not of Azurite).</summary>
    public async Task KillHostAsync()
    {
        if (Host is not null)
        {
            await Host.KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
            // The last host's console, for a failed test or run to be explained.
            await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "integrity-host-last.log"), Host.Output);
        }

        await Azurite.DisposeAsync();
        if (GrainStateAzurite is not null)
        {
            await GrainStateAzurite.DisposeAsync();
        }

        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
