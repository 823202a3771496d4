using Azure.Data.Tables;

namespace Orleans.Hosting;

/// <summary>
/// Cluster membership in Azure Table storage (Orleans' own Microsoft.Orleans.Clustering.AzureStorage), on the engine's
/// storage account: every silo of a ClusterId finds the others there, and a silo that stops answering is voted dead.
/// </summary>
public static class ClusteringSiloBuilderExtensions
{
    public const string DefaultTableName = "IntegrityMembership";

    public static ISiloBuilder UseIntegrityClustering(this ISiloBuilder builder, Func<IServiceProvider, TableServiceClient> client, string tableName = DefaultTableName) =>
        builder.UseAzureStorageClustering(o => o.Configure<IServiceProvider>((options, sp) =>
        {
            options.TableServiceClient = client(sp);
            options.TableName = tableName;
        }));
}
