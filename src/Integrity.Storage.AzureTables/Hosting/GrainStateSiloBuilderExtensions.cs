using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Providers;
using Orleans.Serialization;
using Integrity.Storage.AzureTables.GrainStorage;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Orleans.Hosting;

/// <summary>
/// Grain state through Orleans' own Azure Table provider (Microsoft.Orleans.Persistence.AzureStorage), the one place
/// the engine chooses how grain state is stored:
/// <list type="bullet">
/// <item>entity and helper grain state as System.Text.Json (camelCase, no .NET type names), readable by any silo
/// configured with the official provider and <see cref="StateSerializer"/>;</item>
/// <item><c>PubSubStore</c> (the streams' pub-sub rendezvous) with Orleans' own binary serializer: its state types
/// cannot be read back by System.Text.Json once a producer is registered (<c>PubSubPublisherState</c> has no bindable
/// constructor), which a crash leaves behind and which killed the live feed on every restart after one.</item>
/// </list>
/// Both in one table: their PartitionKeys (service id and grain id) never meet. Entity and helper grain state goes
/// through <see cref="GrainKeyedRowStorage"/>: the official provider's rows, with the grain in the RowKey as well, so that
/// Azurite finds a row without scanning every grain of its kind.
/// </summary>
public static class GrainStateSiloBuilderExtensions
{
    public const string DefaultTableName = "IntegrityGrainState";

    /// <summary>The serializer of the engine's grain states: JSON with web defaults, no type names.</summary>
    public static IGrainStorageSerializer StateSerializer { get; } = CreateStateSerializer();

    /// <param name="client">The Table client of the grain-state account (the engine's SAS-signing client).</param>
    /// <param name="tableName">The grain-state table.</param>
    /// <param name="stateProviderName">The name of the state provider; a test may wrap it under <c>Default</c>.</param>
    public static ISiloBuilder AddIntegrityGrainState(
        this ISiloBuilder builder,
        Func<IServiceProvider, TableServiceClient> client,
        string tableName = DefaultTableName,
        string stateProviderName = ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)
    {
        var official = stateProviderName + ".official";
        builder.AddAzureTableGrainStorage(official, o => o.Configure<IServiceProvider>((table, sp) =>
        {
            table.TableServiceClient = client(sp);
            table.TableName = tableName;
            table.GrainStorageSerializer = StateSerializer;
        }));
        builder.Services.AddGrainStorage(stateProviderName, (sp, _) => new GrainKeyedRowStorage(sp.GetRequiredKeyedService<IGrainStorage>(official)));
        builder.AddAzureTableGrainStorage(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME, o => o.Configure<IServiceProvider>((table, sp) =>
        {
            table.TableServiceClient = client(sp);
            table.TableName = tableName;
            table.GrainStorageSerializer = new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>());
        }));
        return builder;
    }

    private static SystemTextJsonGrainStorageSerializer CreateStateSerializer()
    {
        var options = new SystemTextJsonGrainStorageSerializerOptions();
        var json = options.JsonSerializerOptions;
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.PropertyNameCaseInsensitive = true;
        json.NumberHandling = JsonNumberHandling.AllowReadingFromString;
        return new SystemTextJsonGrainStorageSerializer(Options.Create(options));
    }
}
