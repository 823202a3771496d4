using Integrity.Azurite;
using Integrity.Host.Hosting;

namespace Integrity.Host.Tests;

/// <summary>Grain-state rows are spread over tables on Azurite only; a real account keeps the official provider's one table.</summary>
public sealed class GrainStateTableCountTests
{
    [Theory]
    [InlineData("UseDevelopmentStorage=true", 16)]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;", 16)]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=marketplaceprod;AccountKey=a2V5;EndpointSuffix=core.windows.net", 1)]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=devstoreaccount1x;AccountKey=a2V5;EndpointSuffix=core.windows.net", 1)]
    public void Unset_count_is_sixteen_on_the_emulator_account_and_one_on_any_other(string connectionString, int expected)
    {
        Assert.Equal(expected, new StorageOptions { ConnectionString = connectionString }.EffectiveGrainStateTableCount);
    }

    [Fact]
    public void A_configured_count_wins_on_either_account()
    {
        var ports = new AzuritePorts(10000, 10001, 10002);

        Assert.Equal(1, new StorageOptions { ConnectionString = AzuriteConnectionString.For(ports), GrainStateTableCount = 1 }.EffectiveGrainStateTableCount);
        Assert.Equal(8, new StorageOptions { ConnectionString = "AccountName=marketplaceprod;AccountKey=a2V5", GrainStateTableCount = 8 }.EffectiveGrainStateTableCount);
    }

    [Fact]
    public void Grain_state_in_an_account_of_its_own_takes_that_account_and_its_default_count()
    {
        var azurite = AzuriteConnectionString.For(new AzuritePorts(10000, 10001, 10002));
        const string real = "DefaultEndpointsProtocol=https;AccountName=marketplacestate;AccountKey=a2V5;EndpointSuffix=core.windows.net";

        var separate = new StorageOptions { ConnectionString = azurite, GrainStateConnectionString = real };
        Assert.Equal(real, separate.EffectiveGrainStateConnectionString);
        Assert.Equal(1, separate.EffectiveGrainStateTableCount);

        var unset = new StorageOptions { ConnectionString = azurite, GrainStateConnectionString = " " };
        Assert.Equal(azurite, unset.EffectiveGrainStateConnectionString);
        Assert.Equal(16, unset.EffectiveGrainStateTableCount);
    }
}
