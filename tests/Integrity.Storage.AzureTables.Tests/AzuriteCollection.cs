using Integrity.Testing;

namespace Integrity.Storage.AzureTables.Tests;

/// <summary>Test classes in this collection share one in-memory Azurite.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
