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

    [Theory]
    [InlineData(0, "Grains", "TableCount must be between 1 and 64, got 0")]
    [InlineData(65, "Grains", "TableCount must be between 1 and 64, got 65")]
    [InlineData(2, "G123456789012345678901234567890123456789012345678901234567890123", "must be 3-63 letters or digits")]
    [InlineData(2, "G12345678901234567890123456789012345678901234567890123456789012", "leaves no room for the two-digit shard suffix")]
    public void A_table_count_out_of_range_or_without_room_for_the_suffix_is_named(int count, string tableName, string problem)
    {
        var options = new TableGrainStorageOptions { ConnectionString = "UseDevelopmentStorage=true", TableName = tableName, TableCount = count };

        Assert.Contains(TableGrainStorageOptionsValidator.Validate(options), p => p.Contains(problem, StringComparison.Ordinal));
    }
}
