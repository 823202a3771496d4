using System.Net;
using Azure.Data.Tables;
using Integrity.Benchmarks.Harness;

namespace Integrity.Resilience.Tests;

/// <summary>Storage:GrainStateConnectionString: grain state in an account of its own, the journal and the rest in the shared one.</summary>
public sealed class SeparateGrainStateStorageTests
{
    [Fact]
    public async Task Grain_state_is_written_to_and_read_back_from_its_own_account_and_the_journal_stays_in_the_shared_one()
    {
        await using var engine = await EngineUnderTest.StartAsync(
            new Dictionary<string, string> { ["Consumers:CheckpointInterval"] = "00:00:01" }, separateGrainStateStorage: true);

        var first = await Lines.PostAsync(engine.BaseAddress,
            Lines.Listing("sep-e1", "sep-L1", "sep-S1"),
            Lines.Order("sep-e2", "sep-L1", "sep-S1", "sep-C1", minute: 1));
        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        await engine.Tables.WaitSettledAsync(TimeSpan.FromSeconds(60));

        var stored = await engine.Tables.StoredEntitiesAsync("sep-");
        Assert.Equal(2, stored[new EntityKey(EntityType.Listing, "sep-L1")].EventsApplied);
        Assert.Equal(2, stored[new EntityKey(EntityType.Seller, "sep-S1")].EventsApplied);
        Assert.Equal(1, stored[new EntityKey(EntityType.Reviewer, "sep-C1")].EventsApplied);

        var shared = await TableNamesAsync(engine.Azurite.ConnectionString);
        var own = await TableNamesAsync(engine.GrainStateAzurite!.ConnectionString);
        Assert.Contains("Journal", shared);
        Assert.DoesNotContain(shared, t => t.StartsWith("IntegrityGrainState", StringComparison.Ordinal));
        Assert.Contains(own, t => t.StartsWith("IntegrityGrainState", StringComparison.Ordinal));
        Assert.DoesNotContain("Journal", own);

        // A new host reads the stored state back from that account: the counters go on from where they were.
        await engine.KillHostAsync();
        await engine.StartHostAsync(TimeSpan.FromSeconds(90));
        var second = await Lines.PostAsync(engine.BaseAddress, Lines.Order("sep-e3", "sep-L1", "sep-S1", "sep-C1", minute: 2));
        Assert.Equal(HttpStatusCode.Accepted, second.Status);
        await engine.Tables.WaitSettledAsync(TimeSpan.FromSeconds(60));

        var after = await engine.Tables.StoredEntitiesAsync("sep-");
        Assert.Equal(3, after[new EntityKey(EntityType.Listing, "sep-L1")].EventsApplied);
        Assert.Equal(3, after[new EntityKey(EntityType.Seller, "sep-S1")].EventsApplied);
        Assert.Equal(2, after[new EntityKey(EntityType.Reviewer, "sep-C1")].EventsApplied);
    }

    private static async Task<List<string>> TableNamesAsync(string connectionString)
    {
        var names = new List<string>();
        await foreach (var table in new TableServiceClient(connectionString).QueryAsync())
        {
            names.Add(table.Name);
        }

        return names;
    }
}
