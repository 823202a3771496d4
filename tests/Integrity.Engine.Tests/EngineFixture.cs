using Integrity.Contracts;
using Integrity.Contracts.Audit;
using Integrity.Contracts.Services;
using Integrity.Domain.Events;
using Integrity.Host.Hosting;
using Microsoft.Extensions.Configuration;
using Integrity.Storage.AzureTables.Journal;
using Integrity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace Integrity.Engine.Tests;

/// <summary>
/// The engine on a one-silo test cluster over a real Azurite: table grain storage, the durable journal, our
/// journal stream provider, partition consumers, entity grains, the audit table. Events enter the way ingest
/// puts them in: appended to the journal.
/// </summary>
public sealed class EngineFixture : IAsyncLifetime, IEngineUnderTest
{
    private readonly AzuriteFixture _azurite = new();
    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public IServiceProvider Silo => Cluster.GetSiloServiceProvider();

    public IEventJournal Journal => Silo.GetRequiredService<IEventJournal>();

    public IAuditLog Audit => Silo.GetRequiredService<IAuditLog>();

    public string ConnectionString => _azurite.ConnectionString;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _cluster = await StartClusterAsync(_azurite.ConnectionString, 1, new Dictionary<string, string?> { ["Consumers:CheckpointInterval"] = "00:00:00.500" });
    }

    /// <summary>A test cluster of <paramref name="silos"/> engine silos (<see cref="ConfigureEngine"/> with <paramref name="settings"/>) and the test client, deployed.</summary>
    public static async Task<InProcessTestCluster> StartClusterAsync(string connection, short silos, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) => ConfigureEngine(silo, connection, settings));
        ConfigureClient(builder);
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>
    /// The engine's silo over the Azurite at <paramref name="connection"/>, composed as the host composes it
    /// (<see cref="IntegritySiloBuilderExtensions.AddIntegrity"/>) from the host's configuration keys: overrides in
    /// <paramref name="settings"/> (a null value removes a default: every evidence source is declared sent, as the
    /// in-memory reference assumes, see <see cref="TestCoverage"/>); grain state under the provider named <paramref name="stateProviderName"/>, so a test
    /// can wrap it. Override ends are retried a second apart (production: Orleans' one minute), so a retry stays within
    /// a test.
    /// </summary>
    public static void ConfigureEngine(ISiloBuilder silo, string connection, IReadOnlyDictionary<string, string?>? settings = null, string stateProviderName = ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)
    {
        var configuration = new Dictionary<string, string?>(TestCoverage.AllSent.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)))
        {
            ["Storage:ConnectionString"] = connection,
            ["Reminders:MinimumReminderPeriod"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                configuration.Remove(key);
            }
            else
            {
                configuration[key] = value;
            }
        }

        silo.AddIntegrity(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build(), stateProviderName);
    }

    /// <summary>The test client: the engine's serializer.</summary>
    public static void ConfigureClient(InProcessTestClusterBuilder builder) => builder.ConfigureClient(client =>
        client.Services.AddSerializer(s => s.AddIntegrityDomainTypes()));

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    public Task IngestAsync(IReadOnlyList<IntegrityEvent> events, int batchSize = 500) => EngineDriving.IngestAsync(Cluster.Client, Journal, events, batchSize);

    public Task WaitUntilSettledAsync(TimeSpan? timeout = null) =>
        EngineDriving.WaitUntilSettledAsync(Journal, Silo.GetRequiredService<IJournalCheckpointStore>(), timeout ?? TimeSpan.FromSeconds(60));

    public Task<EntityView> ViewAsync(EntityKind kind, string id) => ViewAsync(Cluster.Client, kind, id);

    public Task<EntityView> ActAsync(EntityKind kind, string id, AnalystCommand command) => ActAsync(Cluster.Client, kind, id, command);

    public async Task<IReadOnlyList<AuditRecord>> DecisionsAsync(EntityKind kind, string id) =>
        await Audit.ReadEntityAsync(kind.ToString().ToLowerInvariant(), id);

    public Task<AuditVerification> VerifyAuditAsync(EntityKind kind, string id) => Audit.VerifyEntityAsync(kind.ToString().ToLowerInvariant(), id);

    /// <summary>The entity's view through any cluster client.</summary>
    public static Task<EntityView> ViewAsync(IGrainFactory grains, EntityKind kind, string id) => kind switch
    {
        EntityKind.Listing => grains.GetGrain<IListingGrain>(id).GetViewAsync(),
        EntityKind.Reviewer => grains.GetGrain<IReviewerGrain>(id).GetViewAsync(),
        EntityKind.Seller => grains.GetGrain<ISellerGrain>(id).GetViewAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>An analyst's action through any cluster client.</summary>
    public static Task<EntityView> ActAsync(IGrainFactory grains, EntityKind kind, string id, AnalystCommand command) => kind switch
    {
        EntityKind.Listing => grains.GetGrain<IListingGrain>(id).ActAsync(command),
        EntityKind.Reviewer => grains.GetGrain<IReviewerGrain>(id).ActAsync(command),
        EntityKind.Seller => grains.GetGrain<ISellerGrain>(id).ActAsync(command),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "Engine";
}
