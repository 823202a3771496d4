using Azure.Data.Tables;
using Integrity.Domain.Coverage;
using Integrity.Domain.Policy;
using Integrity.Grains.Consumers;
using Integrity.Grains.Policy;
using Integrity.Grains.Webhooks;
using Integrity.Host.Security;
using Integrity.Host.Webhooks;
using Integrity.Storage.AzureTables;
using Integrity.Storage.AzureTables.Audit;
using Integrity.Storage.AzureTables.Journal;
using Integrity.Storage.AzureTables.Streaming;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;

namespace Integrity.Host.Hosting;

/// <summary>
/// The composition root of the engine's silo, used by the host and by every test cluster: storage accounts, grain state,
/// reminders, the journal and its stream provider, the engine tables and query index, consumers and entity grains, the
/// policy, Orleans' membership and messaging settings. Everything comes from the configuration given (see the
/// README's configuration table) and is validated at start. Where the silo finds its cluster (membership provider,
/// endpoints, cluster id) is the deployment's: the host's <see cref="IntegrityHostBuilderExtensions.AddIntegrityEngine"/>
/// or the test cluster's own.
/// </summary>
public static class IntegritySiloBuilderExtensions
{
    /// <summary>The grain-directory cache's capacity unless <c>Cluster:Directory:CacheSize</c> says otherwise.</summary>
    public const int DefaultDirectoryCacheSize = 100_000;

    public static ISiloBuilder AddIntegrity(this ISiloBuilder silo, IConfiguration configuration, string grainStateProviderName = ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)
    {
        var services = silo.Services;
        var storageSection = configuration.GetSection(StorageOptions.Section);
        services.AddValidatedOptions<StorageOptions>(storageSection);
        var storage = storageSection.Get<StorageOptions>() ?? new StorageOptions();
        services.TryAddSingleton(sp => TableServiceClients.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString!));
        if (!string.IsNullOrWhiteSpace(storage.GrainStateConnectionString))
        {
            services.TryAddKeyedSingleton(StorageOptions.GrainStateServiceKey, (sp, _) => TableServiceClients.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value.GrainStateConnectionString!));
        }

        // Failure detection and the like, for operators who tune it (and tests that need it fast); ResponseTimeout among
        // others: a call already on its way to a silo that dies waits this long.
        services.Configure<ClusterMembershipOptions>(configuration.GetSection("Cluster:Membership"));
        services.Configure<SiloMessagingOptions>(configuration.GetSection("Cluster:Messaging"));
        // The directory cache holds where other silos' grains live. Orleans' default capacity (1,000,000) is paid for at
        // rest: its size gauge counts the cache by walking a dictionary preallocated to that capacity, once a second while
        // the Orleans Dashboard collects metrics (docs/benchmarks/idle-2026-12-04.md). 100,000 remote grains per silo
        // covers the runs measured here (53,000 entities over three silos); a silo that calls more distinct remote grains
        // than it holds makes a directory lookup for each one it has forgotten: raise Cluster:Directory:CacheSize there.
        services.Configure<GrainDirectoryOptions>(directory => directory.CacheSize = DefaultDirectoryCacheSize);
        services.Configure<GrainDirectoryOptions>(configuration.GetSection("Cluster:Directory"));

        // The strongly consistent in-cluster grain directory (Orleans 9+). With the default, eventually consistent one, a
        // silo's loss made every survivor deactivate the grains whose registrations the dead silo held (a third of all
        // entity grains in a cluster of three, with their unflushed work, and partition consumers among them), and a
        // membership change let a second activation of an entity appear beside the first: it lost a write conflict and
        // made its partitions replay. This one hands a leaving silo's ranges over and rebuilds a dead one's from the
        // survivors' activations: no mass deactivation, no duplicate.
#pragma warning disable ORLEANSEXP003 // evaluation API; the default directory's failure modes above are worse for this engine
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003

        Func<IServiceProvider, TableServiceClient> grainStateAccount =
            sp => sp.GetKeyedService<TableServiceClient>(StorageOptions.GrainStateServiceKey) ?? sp.GetRequiredService<TableServiceClient>();
        silo.AddIntegrityGrainState(grainStateAccount, storage.GrainStateTable, grainStateProviderName);
        silo.AddIntegrityReminders(grainStateAccount, storage.ReminderTable);
        // Orleans validates these itself when the silo starts (MinimumReminderPeriod: an override's end is retried this often).
        services.Configure<ReminderOptions>(configuration.GetSection("Reminders"));

        services.AddIntegrityJournal(configuration);
        silo.AddEngineTables();
        silo.AddQueryIndex();
        services.AddValidatedOptions<JournalStreamOptions>(configuration.GetSection("JournalStream"), o => o.Validate());
        silo.AddJournalStreams();

        // Consumers: CheckpointInterval (the bound on how stale stored grain state gets), RetryDelay, WriteThrough.
        services.AddValidatedOptions<PartitionConsumerOptions>(configuration.GetSection("Consumers"), o => o.Validate());
        // The policy, and the candidate beside it in shadow (same shape, its own version), each validated at start; the
        // last promotion of a candidate from the table every silo reads.
        services.AddValidatedOptions<PolicyOptions>(configuration.GetSection(ConfiguredPolicyProvider.Section), p => p.Validate());
        var candidate = configuration.GetSection(ConfiguredPolicyProvider.CandidateSection);
        services.AddValidatedOptions<PolicyOptions>(candidate, p => candidate.Exists() ? p.Validate() : [], ConfiguredPolicyProvider.CandidateSection);
        services.AddValidatedOptions<PolicyPromotionOptions>(configuration.GetSection(PolicyPromotionOptions.Section), o => o.Validate());
        services.TryAddSingleton(sp => new ConfiguredPolicyProvider(
            sp.GetRequiredService<IOptionsMonitor<PolicyOptions>>(), candidate.Exists, sp.GetRequiredService<ILogger<ConfiguredPolicyProvider>>()));
        services.TryAddSingleton<IPolicyProvider>(sp => sp.GetRequiredService<ConfiguredPolicyProvider>());
        silo.AddShadowPolicyTables();
        // What the platform sends (observed unless declared); signals whose evidence is missing do not count.
        services.AddValidatedOptions<EvidenceCoverageOptions>(configuration.GetSection(EvidenceCoverageOptions.Section), o => o.Validate());
        services.AddValidatedOptions<CoverageSyncOptions>(configuration.GetSection(EvidenceCoverageOptions.Section), o => o.Validate());
        silo.AddIntegrityGrains();
        // Orleans' own stateless workers (we have none) are inspected for idle ones every 500 ms by default, a timer for
        // each that wakes an idle silo twice a second; they are shrunk a little later instead.
        services.Configure<StatelessWorkerOptions>(o => o.IdleWorkersInspectionPeriod = TimeSpan.FromSeconds(5));

        // Outbound webhooks: configured endpoints validated at start; secrets of registered ones sealed under a key
        // derived from the identifier hash key (read when first needed: a local run generates that key after this).
        services.AddValidatedOptions<WebhookOptions>(configuration.GetSection(WebhookOptions.Section), o => o.Validate());
        services.TryAddSingleton(_ => WebhookSecretKeys.From(configuration[$"{SecurityOptions.Section}:{nameof(SecurityOptions.IdentifierHashKey)}"]));
        services.AddHttpClient(HttpWebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.TryAddSingleton<IWebhookSender, HttpWebhookSender>();
        silo.AddWebhookTables();

        // The endpoints' own audit rows go to the audit table without the query index: they are no entity's decisions.
        services.TryAddSingleton(sp => new WebhookAudit(sp.GetRequiredService<AuditTable>(), sp.GetRequiredService<TimeProvider>()));
        silo.AddIntegrityWebhooks();
        return silo;
    }

    /// <summary>
    /// The journal and dead-letter table on <c>Storage:ConnectionString</c>, tuned by the <c>Journal</c> section; ingest
    /// and the silo both call it, and the second call adds nothing.
    /// </summary>
    public static IServiceCollection AddIntegrityJournal(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(TableEventJournal)))
        {
            return services;
        }

        services.AddValidatedOptions<TableEventJournalOptions>(configuration.GetSection("Journal"), o => o.Validate())
            .Configure(o => o.ConnectionString = configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.ConnectionString)}"]);
        return services.AddEventJournal();
    }
}
