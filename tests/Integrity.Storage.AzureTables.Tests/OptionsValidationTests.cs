using Integrity.Storage.AzureTables.GrainStorage;
using Orleans.TestingHost;

namespace Integrity.Storage.AzureTables.Tests;

public sealed class OptionsValidationTests
{
    [Fact]
    public async Task Silo_with_invalid_grain_storage_options_fails_to_start_naming_each_problem()
    {
        var builder = new InProcessTestClusterBuilder(1).WithIntegritySerialization();
        builder.ConfigureSilo((_, silo) => silo.AddTableGrainStorageAsDefault(o => o.Configure(table =>
        {
            table.ConnectionString = null;
            table.TableName = "9bad-name";
            table.MaxRetries = 50;
        })));
        await using var cluster = builder.Build();

        var error = await Record.ExceptionAsync(() => cluster.DeployAsync());

        Assert.NotNull(error);
        var message = error.ToString();
        Assert.Contains("Table grain storage 'Default' is misconfigured", message, StringComparison.Ordinal);
        Assert.Contains("ConnectionString is required", message, StringComparison.Ordinal);
        Assert.Contains("TableName '9bad-name'", message, StringComparison.Ordinal);
        Assert.Contains("MaxRetries must be between 0 and 10, got 50", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_options_have_no_problems()
    {
        var options = new TableGrainStorageOptions { ConnectionString = "UseDevelopmentStorage=true" };

        Assert.Empty(TableGrainStorageOptionsValidator.Validate(options));
    }
}
