using System.Net;
using Azure.Data.Tables;

namespace Integrity.Resilience.Tests;

/// <summary>Storage:GrainStateConnectionString: grain state in an account of its own, the journal and the rest in the shared one.</summary>
public sealed class SeparateGrainStateStorageTests
{
    [Fact]
    public async Task Grain_state_is_written_to_and_read_back_from_its_own_account_and_the_journal_stays_in_the_shared_one()
    {
        await using var engine = await EngineUnderTest.StartAsync(
            new Dictionary<string, string> { ["Consumers:CheckpointInterval"] = "00:00:01" }, separateGrainStateStorage: true);

        await PostAndAssertStoredAsync(engine, [Lines.Listing("sep-e1", "sep-L1", "sep-S1"), Lines.Order("sep-e2", "sep-L1", "sep-S1", "sep-C1", minute: 1)],
            listing: 2, seller: 2, customer: 1);

        var shared = await TableNamesAsync(engine.Azurite.ConnectionString);
        var own = await TableNamesAsync(engine.GrainStateAzurite!.ConnectionString);
        Assert.Contains("Journal", shared);
        Assert.DoesNotContain(shared, t => t.StartsWith("IntegrityGrainState", StringComparison.Ordinal));
        Assert.Contains(own, t => t.StartsWith("IntegrityGrainState", StringComparison.Ordinal));
        Assert.DoesNotContain("Journal", own);

        // A new host reads the stored state back from that account: the counters go on from where they were.
        await engine.KillHostAsync();
        await engine.StartHostAsync(TimeSpan.FromSeconds(90));
        await PostAndAssertStoredAsync(engine, [Lines.Order("sep-e3", "sep-L1", "sep-S1", "sep-C1", minute: 2)], listing: 3, seller: 3, customer: 2);

        // Health answers for both accounts: grain state's going down is reported on its own.
        using var http = new HttpClient { BaseAddress = engine.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await engine.GrainStateAzurite!.StopAsync();
        using var down = await http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        var report = System.Text.Json.Nodes.JsonNode.Parse(await down.Content.ReadAsStringAsync())!;
        Assert.Equal("ok", report["storage"]!.GetValue<string>());
        Assert.Equal("unreachable", report["grainStateStorage"]!.GetValue<string>());

        await engine.GrainStateAzurite!.RestartAsync();
        using var up = await http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
    }

    /// <summary>Posts the lines, waits until every checkpoint reaches its journal head, then checks the stored counters.</summary>
    private static async Task PostAndAssertStoredAsync(EngineUnderTest engine, string[] lines, long listing, long seller, long customer)
    {
        var answer = await Lines.PostAsync(engine.BaseAddress, lines);
        Assert.Equal(HttpStatusCode.Accepted, answer.Status);
        await engine.Tables.WaitSettledAsync(TimeSpan.FromSeconds(60));

        var stored = await engine.Tables.StoredEntitiesAsync("sep-");
        Assert.Equal(listing, stored[new EntityKey(EntityKind.Listing, "sep-L1")].EventsApplied);
        Assert.Equal(seller, stored[new EntityKey(EntityKind.Seller, "sep-S1")].EventsApplied);
        Assert.Equal(customer, stored[new EntityKey(EntityKind.Reviewer, "sep-C1")].EventsApplied);
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
