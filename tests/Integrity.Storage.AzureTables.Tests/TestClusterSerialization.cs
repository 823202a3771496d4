using Integrity.Contracts;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace Integrity.Storage.AzureTables.Tests;

internal static class TestClusterSerialization
{
    /// <summary>
    /// This assembly references Integrity.Contracts (through the storage project), whose grain interfaces carry domain
    /// types as JSON; every silo and client that loads it registers that codec, as the host does.
    /// </summary>
    public static InProcessTestClusterBuilder WithIntegritySerialization(this InProcessTestClusterBuilder builder) =>
        builder.ConfigureHost(host => host.Services.AddSerializer(s => s.AddIntegrityDomainTypes()));
}
