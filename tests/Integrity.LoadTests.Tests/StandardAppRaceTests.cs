using Azure.Data.Tables;
using Integrity.Harness.Market;
using Integrity.LoadTests.Race;
using Integrity.Testing;

namespace Integrity.LoadTests.Tests;

/// <summary>
/// The race's phase (a), the standard Orleans Azure app, does the work it is timed on: every entity application of the
/// events put on the official Azure Queue streams reaches a grain and is written by the official AzureTableGrainStorage
/// on a real Azurite, one row per entity. (Its speed is the race's business, not a test's.)
/// </summary>
public sealed class StandardAppRaceTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public StandardAppRaceTests(AzuriteFixture azurite) => _azurite = azurite;

    [Fact]
    public async Task Every_entity_application_is_delivered_and_stored_once_per_entity_row()
    {
        var events = MarketplaceGenerator.Generate(new MarketplaceOptions { Seed = 5, Sellers = 10, Span = TimeSpan.FromDays(1), Skew = 1 }).Events.Take(250).ToList();
        var touched = events.SelectMany(e => e.Touched).Where(t => EntityKinds.Counted.Contains(t.Kind)).ToList();

        var result = await StandardAppRun.RunAsync(_azurite.ConnectionString, events, workers: 4, queues: 2, batchContainerBatchSize: 16,
            TimeSpan.FromMinutes(3), TextWriter.Null, CancellationToken.None);

        Assert.True(result.Completed, $"{result.Applications:N0} applications expected; not all were stored within 3 minutes");
        Assert.Equal(touched.Count, result.Applications);
        Assert.Equal(0, result.FailedWrites);
        var rows = await new TableClient(_azurite.ConnectionString, "RaceStandardState").QueryAsync<TableEntity>(select: ["PartitionKey"]).CountAsync();
        Assert.Equal(touched.Distinct().Count(), rows);
    }
}
