using Orleans.Configuration;

namespace Integrity.Host.Hosting;

/// <summary>Everything the one Integrity process runs: the silo, its storage, and the HTTP API.</summary>
public static class IntegrityHostBuilderExtensions
{
    /// <summary>
    /// The silo of this process in its cluster: membership in Azure Table storage on the engine's account, ports and
    /// address from <c>Cluster</c>, cluster and service ids from <c>Storage</c>; the engine itself is
    /// <see cref="IntegritySiloBuilderExtensions.AddIntegrity"/>.
    /// </summary>
    public static WebApplicationBuilder AddIntegrityEngine(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var clusterSection = configuration.GetSection(ClusterHostingOptions.Section);
        builder.Services.AddValidatedOptions<ClusterHostingOptions>(clusterSection);
        var cluster = clusterSection.Get<ClusterHostingOptions>() ?? new ClusterHostingOptions();

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => { o.ServiceId = storage.ServiceId; o.ClusterId = storage.ClusterId; });
            silo.UseIntegrityClustering(sp => sp.GetRequiredService<Azure.Data.Tables.TableServiceClient>(), cluster.MembershipTable);
            if (System.Net.IPAddress.TryParse(cluster.AdvertisedAddress, out var address))
            {
                silo.ConfigureEndpoints(address, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
            }

            silo.AddIntegrity(configuration);
        });
        return builder;
    }
}
