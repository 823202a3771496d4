using Azure.Data.Tables;
using Integrity.Contracts;
using Integrity.Contracts.Audit;
using Integrity.Domain.Events;
using Integrity.Storage.AzureTables.Audit;
using Integrity.Storage.AzureTables.Journal;
using Integrity.Storage.AzureTables.Streaming;
using Integrity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Serialization;

namespace Integrity.Engine.Tests;

/// <summary>
/// The engine as a cluster: three host processes, as operators run them, sharing one Azurite, finding each other in
/// its membership table (a ClusterId of their own), with a .NET Orleans client beside them. Events enter the journal
/// the way ingest puts them there; views and actions go through the client to whichever silo holds the grain.
/// </summary>
public sealed class ClusterEngineFixture : IAsyncLifetime, IEngineUnderTest
{
    public const int Silos = 3;

    private readonly AzuriteFixture _azurite = new();
    private readonly List<HostProcess> _hosts = [];
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("integrity-cluster-").FullName;
    private IHost? _clientHost;
    private TableEventJournal? _journal;
    private JournalCheckpoints? _checkpoints;
    private AuditTable? _audit;

    public string ClusterId { get; } = "engine-" + Guid.NewGuid().ToString("N")[..8];

    public IReadOnlyList<HostProcess> Hosts => _hosts;

    public IClusterClient Client => _clientHost?.Services.GetRequiredService<IClusterClient>() ?? throw new InvalidOperationException("The client has not started.");

    private TableEventJournal Journal => _journal ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        var connection = _azurite.ConnectionString;
        for (var i = 0; i < Silos; i++)
        {
            // This fixture appends to the journal from the test process, past every silo's wake signals: resting readers
            // must find its rows by polling, so they poll often.
            _hosts.Add(HostProcess.Start(
                new Dictionary<string, string>(HostProcess.ClusterSilo(connection, ClusterId)) { ["JournalStream:IdlePollInterval"] = "00:00:00.200" },
                _workDirectory));
        }

        await Task.WhenAll(_hosts.Select(h => h.WaitHealthyAsync(TimeSpan.FromSeconds(120))));

        _clientHost = StartClient(connection, ClusterId);
        await _clientHost.StartAsync();
        var service = new TableServiceClient(connection);
        _journal = new TableEventJournal(new TableEventJournalOptions { ConnectionString = connection }, TimeProvider.System, NullLogger<TableEventJournal>.Instance);
        _checkpoints = new JournalCheckpoints(service);
        _audit = new AuditTable(service);
    }

    /// <summary>An Orleans client that finds the cluster's gateways in its membership table.</summary>
    public static IHost StartClient(string connectionString, string clusterId)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client =>
        {
            client.UseAzureStorageClustering(o =>
            {
                o.TableServiceClient = new TableServiceClient(connectionString);
                o.TableName = ClusteringSiloBuilderExtensions.DefaultTableName;
            });
            client.Configure<ClusterOptions>(o => { o.ServiceId = "integrity"; o.ClusterId = clusterId; });
            client.Services.AddSerializer(s => s.AddIntegrityDomainTypes());
        });
        return builder.Build();
    }

    public async Task DisposeAsync()
    {
        if (_clientHost is not null)
        {
            await _clientHost.StopAsync();
            _clientHost.Dispose();
        }

        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await _azurite.DisposeAsync();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A host's files may still be closing; the temp folder is cleaned by the system.
        }
    }

    public Task IngestAsync(IReadOnlyList<IntegrityEvent> events, int batchSize = 500) => EngineDriving.IngestAsync(Client, Journal, events, batchSize);

    public Task WaitUntilSettledAsync(TimeSpan? timeout = null) =>
        EngineDriving.WaitUntilSettledAsync(Journal, _checkpoints ?? throw new InvalidOperationException("The cluster has not started."), timeout ?? TimeSpan.FromSeconds(90));

    public Task<EntityView> ViewAsync(EntityKind kind, string id) => EngineFixture.ViewAsync(Client, kind, id);

    public Task<EntityView> ActAsync(EntityKind kind, string id, AnalystCommand command) => EngineFixture.ActAsync(Client, kind, id, command);

    public async Task<IReadOnlyList<AuditRecord>> DecisionsAsync(EntityKind kind, string id) =>
        await _audit!.ReadEntityAsync(kind.ToString().ToLowerInvariant(), id);

    public Task<AuditVerification> VerifyAuditAsync(EntityKind kind, string id) => _audit!.VerifyEntityAsync(kind.ToString().ToLowerInvariant(), id);
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterEngineFixture>
{
    public const string Name = "Cluster of three host processes";
}
