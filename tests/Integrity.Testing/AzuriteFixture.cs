using Integrity.Azurite;
using Xunit;

namespace Integrity.Testing;

/// <summary>One in-memory Azurite on free loopback ports per test collection; stops only the process it started.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private LocalAzurite? _azurite;

    public LocalAzurite Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public string ConnectionString => Azurite.ConnectionString;

    public async Task InitializeAsync() => _azurite = await LocalAzurite.StartAsync(new LocalAzuriteOptions());

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
