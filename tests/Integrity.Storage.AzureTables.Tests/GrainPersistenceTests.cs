using Azure.Data.Tables;
using Integrity.Testing;
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

[Collection(AzuriteCollection.Name)]
public sealed class GrainPersistenceTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string _table = UniqueNames.Table("grains");
    private InProcessTestCluster? _cluster;

    private InProcessTestCluster Cluster => _cluster!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1).WithIntegritySerialization();
        builder.ConfigureSilo((_, silo) => silo.AddTableGrainStorageAsDefault(o => o.Configure(table =>
        {
            table.ConnectionString = azurite.ConnectionString;
            table.TableName = _table;
        })));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    [Fact]
    public async Task Grain_state_survives_deactivation_and_is_read_back_from_table_storage()
    {
        var grain = Cluster.Client.GetGrain<ICounterGrain>("shop-7");
        await grain.AddAsync("first");
        await grain.AddAsync("second");
        var before = await grain.GetAsync();

        await grain.DeactivateAsync();
        var after = await WaitForNewActivationAsync(grain, before.ActivationId);

        Assert.NotEqual(before.ActivationId, after.ActivationId);
        Assert.Equal(2, after.Count);
        Assert.Equal(["first", "second"], after.Notes);

        var row = new TableServiceClient(azurite.ConnectionString).GetTableClient(_table).Query<TableEntity>().Single();
        Assert.EndsWith("_counter_shop-7", row.PartitionKey, StringComparison.Ordinal);
        Assert.Equal("counter", row.RowKey);
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
