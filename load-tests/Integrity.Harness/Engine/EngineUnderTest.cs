using Integrity.Azurite;
using Integrity.Testing;

namespace Integrity.Harness.Engine;

/// <summary>
/// The real host process on a local Azurite that this code starts itself, with a data folder, so the storage
/// survives when the host is killed and the host can be restarted on it. Stops only the processes it started.
/// </summary>
public sealed class EngineUnderTest : IAsyncDisposable
{
    private readonly string _workDirectory;

    private EngineUnderTest(LocalAzurite azurite, LocalAzurite? grainStateAzurite, string workDirectory, HostCluster cluster)
    {
        Azurite = azurite;
        GrainStateAzurite = grainStateAzurite;
        _workDirectory = workDirectory;
        Cluster = cluster;
    }

    /// <summary>The journal's Azurite, and grain state's too unless <see cref="GrainStateAzurite"/> is set.</summary>
    public LocalAzurite Azurite { get; }

    /// <summary>A second Azurite that holds only grain state (<c>Storage:GrainStateConnectionString</c>), when asked for.</summary>
    public LocalAzurite? GrainStateAzurite { get; }

    /// <summary>The host processes: one silo, or several of one cluster on the same Azurite.</summary>
    public HostCluster Cluster { get; }

    /// <summary>The first silo's host process.</summary>
    public HostProcess Host => Cluster[0];

    public EngineTables Tables => Cluster.Tables;

    /// <summary>The first silo's HTTP address.</summary>
    public Uri BaseAddress => Host.HasExited ? throw new InvalidOperationException("The host is not running.") : Host.BaseAddress;

    /// <summary>Every silo's HTTP address.</summary>
    public IReadOnlyList<Uri> BaseAddresses => [.. Enumerable.Range(0, Cluster.Count).Select(i => Cluster[i].BaseAddress)];

    /// <summary>
    /// Starts Azurite on a fresh data folder (or <paramref name="azuriteDataDirectory"/>, or in memory: it then survives
    /// host kills but not its own stop), then <paramref name="silos"/> host processes of one cluster on it with the test
    /// keys and <paramref name="settings"/>. With <paramref name="separateGrainStateStorage"/> grain state goes to a
    /// second Azurite of its own.
    /// </summary>
    public static async Task<EngineUnderTest> StartAsync(
        IReadOnlyDictionary<string, string>? settings = null, TimeSpan? healthyWithin = null, bool inMemoryStorage = false, bool separateGrainStateStorage = false,
        int silos = 1, string? azuriteDataDirectory = null, CancellationToken cancellationToken = default)
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

        HostCluster cluster;
        try
        {
            cluster = await HostCluster.StartAsync(
                azurite.ConnectionString, Directory.CreateDirectory(Path.Combine(workDirectory, "hosts")).FullName,
                Enumerable.Repeat(configuration, silos), healthyWithin ?? TimeSpan.FromSeconds(90 + (30 * (silos - 1)))).WaitAsync(cancellationToken);
        }
        catch
        {
            await azurite.DisposeAsync();
            if (grainStateAzurite is not null)
            {
                await grainStateAzurite.DisposeAsync();
            }

            throw;
        }

        return new EngineUnderTest(azurite, grainStateAzurite, workDirectory, cluster);
    }

    /// <summary>Starts the (first) host again on the same storage and silo ports; it listens on a new free HTTP port.</summary>
    public async Task StartHostAsync(TimeSpan healthyWithin)
    {
        if (!Host.HasExited)
        {
            throw new InvalidOperationException("The host is already running.");
        }

        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "integrity-host-previous.log"), Host.Output);
        await Cluster.RestartAsync(0, healthyWithin);
    }

    /// <summary>SIGKILL of the (first) host process (not of Azurite).</summary>
    public Task KillHostAsync() => Cluster.KillAsync(0);

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        // The hosts' consoles, for a failed test or run to be explained.
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "integrity-host-last.log"), Cluster.Output());
        await Azurite.DisposeAsync();
        if (GrainStateAzurite is not null)
        {
            await GrainStateAzurite.DisposeAsync();
        }

        HostCluster.DeleteQuietly(_workDirectory);
    }
}
