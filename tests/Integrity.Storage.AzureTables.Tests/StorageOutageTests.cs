using Integrity.Azurite;
using Integrity.Storage.AzureTables.GrainStorage;

namespace Integrity.Storage.AzureTables.Tests;

/// <summary>Uses its own Azurite on a data folder, because it stops and restarts it.</summary>
public sealed class StorageOutageTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "integrity-outage-" + Guid.NewGuid().ToString("N"));
    private LocalAzurite? _azurite;

    private LocalAzurite Azurite => _azurite!;

    public async Task InitializeAsync() => _azurite = await LocalAzurite.StartAsync(new LocalAzuriteOptions { DataDirectory = _dataDirectory });

    public async Task DisposeAsync()
    {
        await Azurite.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Writes_fail_clearly_while_storage_is_down_and_succeed_again_after_it_returns()
    {
        var storage = await StorageHarness.CreateAsync(Azurite.ConnectionString, o =>
        {
            o.MaxRetries = 2;
            o.NetworkTimeout = TimeSpan.FromSeconds(2);
        });
        var grain = GrainId.Create("seller", "outage");
        var state = new StoredState<SampleState>(new SampleState { Name = "before outage", Count = 1 });
        await storage.WriteStateAsync("state", grain, state);
        var etagBefore = state.ETag;

        await Azurite.StopAsync();
        state.State.Name = "during outage";
        var error = await Assert.ThrowsAsync<TableStorageUnavailableException>(() => storage.WriteStateAsync("state", grain, state));
        Assert.Contains("could not write state 'state' of seller/outage", error.Message, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(etagBefore, state.ETag);

        await Azurite.RestartAsync();
        var afterRestart = new StoredState<SampleState>();
        await storage.ReadStateAsync("state", grain, afterRestart);
        Assert.Equal("before outage", afterRestart.State.Name);
        Assert.Equal(etagBefore, afterRestart.ETag);

        await storage.WriteStateAsync("state", grain, state);
        var final = new StoredState<SampleState>();
        await storage.ReadStateAsync("state", grain, final);
        Assert.Equal("during outage", final.State.Name);
    }
}
