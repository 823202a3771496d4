using Integrity.Azurite;
using Integrity.Host.Security;
using Integrity.Testing;

namespace Integrity.Ingestion.Tests;

/// <summary>The embedded Azurite's data folder holds every table in clear: only its owner may read it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzuriteDataFolderTests(AzuriteFixture azurite)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task Embedded_Azurite_creates_its_data_folder_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var parent = Directory.CreateTempSubdirectory("integrity-azurite-data-").FullName;
        try
        {
            var data = Path.Combine(parent, "nested", ".azurite");
            await using (var embedded = await LocalAzurite.StartAsync(new LocalAzuriteOptions { DataDirectory = data }))
            {
                Assert.Equal(OwnerOnly, File.GetUnixFileMode(data));
            }

            // The development secrets create the folder when the host keeps its hashing key there first.
            var secrets = Path.Combine(parent, "secrets");
            await using var app = await IngestApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
            {
                [DevelopmentSecrets.EmbeddedDataDirectoryKey] = secrets,
                ["Security:IdentifierHashKey"] = null,
            });
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(secrets));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
