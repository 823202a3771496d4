
// Each test drives the one machine hard (host, Azurite and sender on 2 cores): run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Integrity.Resilience.Tests;

/// <summary>A host process on its own Azurite, shared by tests that neither kill it nor stop its storage.</summary>
public sealed class SharedEngineFixture : IAsyncLifetime
{
    private EngineUnderTest? _engine;

    public EngineUnderTest Engine => _engine ?? throw new InvalidOperationException("The engine has not started.");

    public async Task InitializeAsync() => _engine = await EngineUnderTest.StartAsync(new Dictionary<string, string> { ["Consumers:CheckpointInterval"] = "00:00:01" });

    public async Task DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedEngineCollection : ICollectionFixture<SharedEngineFixture>
{
    public const string Name = "Shared engine";
}
