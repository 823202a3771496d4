using Integrity.Testing;

namespace Integrity.Ingestion.Tests;

/// <summary>One in-memory Azurite and one ingest app with the test keys, shared by a collection.</summary>
public sealed class IngestAppFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private IngestApp? _app;

    public IngestApp App => _app ?? throw new InvalidOperationException("The app has not started.");

    public string ConnectionString => _azurite.ConnectionString;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _app = await IngestApp.StartAsync(_azurite.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class IngestAppCollection : ICollectionFixture<IngestAppFixture>
{
    public const string Name = "Ingest app";
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
