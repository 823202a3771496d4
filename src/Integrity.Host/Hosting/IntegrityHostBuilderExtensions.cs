using Azure.Data.Tables;
using Microsoft.Extensions.Options;
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

        builder.Services.AddSingleton(sp => new TableServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString));
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(serviceId: storage.ServiceId, clusterId: storage.ClusterId);
            silo.Configure<ClusterOptions>(o => { o.ServiceId = storage.ServiceId; o.ClusterId = storage.ClusterId; });
            silo.AddTableGrainStorageAsDefault(o => o.Configure<IOptions<StorageOptions>>((table, s) =>
            {
                table.ConnectionString = s.Value.ConnectionString;
                table.TableName = s.Value.GrainStateTable;
            }));
        });
        return builder;
    }
}
