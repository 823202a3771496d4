using Integrity.Storage.AzureTables;
using Microsoft.Extensions.Options;
using Integrity.Domain.Policy;
using Integrity.Grains.Consumers;
using Integrity.Grains.Policy;
using Integrity.Storage.AzureTables.Streaming;
using Orleans.Configuration;

namespace Integrity.Host.Hosting;

/// <summary>Everything the one Integrity process runs: the silo, its storage, and the HTTP API.</summary>
public static class IntegrityHostBuilderExtensions
{
    public static WebApplicationBuilder AddIntegrityEngine(this WebApplicationBuilder builder)
    {
        var storageSection = builder.Configuration.GetSection(StorageOptions.Section);
        builder.Services.AddOptions<StorageOptions>().Bind(storageSection).ValidateDataAnnotations().ValidateOnStart();
        var storage = storageSection.Get<StorageOptions>() ?? new StorageOptions();

        builder.Services.AddSingleton(sp => TableServiceClients.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString!));
        if (!string.IsNullOrWhiteSpace(storage.GrainStateConnectionString))
        {
            builder.Services.AddKeyedSingleton(StorageOptions.GrainStateServiceKey, (sp, _) => TableServiceClients.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value.GrainStateConnectionString!));
        }

        var clusterSection = builder.Configuration.GetSection(ClusterHostingOptions.Section);
        builder.Services.AddOptions<ClusterHostingOptions>().Bind(clusterSection).ValidateDataAnnotations().ValidateOnStart();
        var cluster = clusterSection.Get<ClusterHostingOptions>() ?? new ClusterHostingOptions();

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => { o.ServiceId = storage.ServiceId; o.ClusterId = storage.ClusterId; });
            silo.UseIntegrityClustering(sp => sp.GetRequiredService<Azure.Data.Tables.TableServiceClient>(), cluster.MembershipTable);
            if (System.Net.IPAddress.TryParse(cluster.AdvertisedAddress, out var address))
            {
                silo.ConfigureEndpoints(address, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
            }

            // Failure detection and the like, for operators who tune it (and tests that need it fast).
            silo.Services.Configure<ClusterMembershipOptions>(clusterSection.GetSection("Membership"));
            // ResponseTimeout among others: a call already on its way to a silo that dies waits this long.
            silo.Services.Configure<SiloMessagingOptions>(clusterSection.GetSection("Messaging"));
            Func<IServiceProvider, Azure.Data.Tables.TableServiceClient> grainStateAccount =
                sp => sp.GetKeyedService<Azure.Data.Tables.TableServiceClient>(StorageOptions.GrainStateServiceKey) ?? sp.GetRequiredService<Azure.Data.Tables.TableServiceClient>();
            silo.AddIntegrityGrainState(grainStateAccount, storage.GrainStateTable);
            silo.AddIntegrityReminders(grainStateAccount, storage.ReminderTable);
            silo.AddEngineTables();
            silo.AddQueryIndex();
            silo.AddJournalStreams(new JournalStreamOptions());
            silo.AddIntegrityGrains();
        });
        // Consumers: CheckpointInterval (the bound on how stale stored grain state gets), RetryDelay, WriteThrough.
        builder.Services.Configure<PartitionConsumerOptions>(builder.Configuration.GetSection("Consumers"));
        builder.Services.AddOptions<PolicyOptions>()
            .Bind(builder.Configuration.GetSection(ConfiguredPolicyProvider.Section))
            .Validate(p => p.Validate().Count == 0, "Policy is invalid (see the problems listed at start)")
            .ValidateOnStart();
        builder.Services.AddSingleton<IPolicyProvider, ConfiguredPolicyProvider>();
        return builder;
    }
}
