using Azure.Data.Tables;
using Integrity.Storage.AzureTables.GrainStorage;
using Integrity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Integrity.Storage.AzureTables.Tests;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> AddAsync(string note);

    Task<CounterSnapshot> GetAsync();

    Task DeactivateAsync();
}

[GenerateSerializer, Immutable, Alias("tests.CounterSnapshot")]
public sealed record CounterSnapshot([property: Id(0)] int Count, [property: Id(1)] IReadOnlyList<string> Notes, [property: Id(2)] Guid ActivationId);

public sealed class CounterState
{
    public int Count { get; set; }

    public List<string> Notes { get; set; } = [];
}

public sealed class CounterGrain([PersistentState("counter")] IPersistentState<CounterState> state) : Grain, ICounterGrain
{
    private readonly Guid _activationId = Guid.NewGuid();

    public async Task<int> AddAsync(string note)
    {
        state.State.Count++;
        state.State.Notes.Add(note);
        await state.WriteStateAsync();
        return state.State.Count;
    }

    public Task<CounterSnapshot> GetAsync() => Task.FromResult(new CounterSnapshot(state.State.Count, [.. state.State.Notes], _activationId));

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Grain state as the engine registers it (<see cref="GrainStateSiloBuilderExtensions.AddIntegrityGrainState"/>): rows
/// that a silo configured with Orleans' official Azure Table provider and its System.Text.Json serializer reads back
/// (given the engine's row naming, <see cref="GrainKeyedRowStorage"/>), with no .NET type names in them.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class GrainPersistenceTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task State_written_by_the_engine_is_read_back_by_a_silo_with_the_official_provider_and_the_row_naming()
    {
        var table = UniqueNames.Table("grains");
        var engine = new InProcessTestClusterBuilder(1).WithIntegritySerialization();
        var serviceId = "rows-" + table;
        engine.Options.ServiceId = serviceId;
        engine.ConfigureSilo((_, silo) => silo.AddIntegrityGrainState(_ => new TableServiceClient(azurite.ConnectionString), table));
        await using (var cluster = engine.Build())
        {
            await cluster.DeployAsync();
            var grain = cluster.Client.GetGrain<ICounterGrain>("shop-7");
            await grain.AddAsync("first");
            await grain.AddAsync("second");
            var before = await grain.GetAsync();

            await grain.DeactivateAsync();
            var after = await WaitForNewActivationAsync(grain, before.ActivationId);
            Assert.Equal(2, after.Count);
            Assert.Equal(["first", "second"], after.Notes);
        }

        var row = new TableServiceClient(azurite.ConnectionString).GetTableClient(table).Query<TableEntity>().Single();
        Assert.EndsWith("_counter_shop-7", row.PartitionKey, StringComparison.Ordinal);
        // The grain in the RowKey too, so Azurite finds the row without scanning every counter grain's.
        Assert.Equal("counter:shop-7", row.RowKey);
        var json = System.Text.Encoding.UTF8.GetString(Integrity.Storage.AzureTables.GrainStorage.GrainStateRow.ReadData(row));
        Assert.Equal("""{"count":2,"notes":["first","second"]}""", json);

        var official = new InProcessTestClusterBuilder(1).WithIntegritySerialization();
        official.Options.ServiceId = serviceId;
        official.ConfigureSilo((_, silo) =>
        {
            silo.AddAzureTableGrainStorage("official", o => o.Configure(options =>
            {
                options.TableServiceClient = new TableServiceClient(azurite.ConnectionString);
                options.TableName = table;
                var json = new SystemTextJsonGrainStorageSerializerOptions();
                json.JsonSerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
                options.GrainStorageSerializer = new SystemTextJsonGrainStorageSerializer(Microsoft.Extensions.Options.Options.Create(json));
            }));
            silo.Services.AddGrainStorage(Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
                (sp, _) => new GrainKeyedRowStorage(sp.GetRequiredKeyedService<IGrainStorage>("official")));
        });
        await using var reader = official.Build();
        await reader.DeployAsync();

        var read = await reader.Client.GetGrain<ICounterGrain>("shop-7").GetAsync();
        Assert.Equal(2, read.Count);
        Assert.Equal(["first", "second"], read.Notes);
        Assert.Equal(3, await reader.Client.GetGrain<ICounterGrain>("shop-7").AddAsync("third"));
    }

    private static async Task<CounterSnapshot> WaitForNewActivationAsync(ICounterGrain grain, Guid previous)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var snapshot = await grain.GetAsync();
            if (snapshot.ActivationId != previous)
            {
                return snapshot;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The grain was not deactivated within 5 seconds.");
    }
}
