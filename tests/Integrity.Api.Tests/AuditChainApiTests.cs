using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Integrity.Contracts.Audit;
using Integrity.Testing;

namespace Integrity.Api.Tests;

/// <summary>
/// The audit trail as evidence over real HTTP: the chain across decisions and analyst actions, its export as JSON and
/// CSV, and verification that names rows edited, inserted or removed directly in the host's Azurite tables.
/// </summary>
[Collection(ApiHostCollection.Name)]
public sealed class AuditChainApiTests(ApiHostFixture host)
{
    private static readonly JsonSerializerOptions Web = JsonSerializerOptions.Web;

    [Fact]
    public async Task Export_chains_decisions_and_analyst_actions_and_round_trips_as_JSON_and_CSV()
    {
        var seller = await SteppedUpSellerAsync("aud1");
        using var http = QueryTests.Analyst(host);
        await ActAsync(http, seller, """{"action":"note","note":"Called the seller; «refunds» look scripted","actionId":"aud1-note"}""");
        await ActAsync(http, seller, """{"action":"reverse","note":"Carrier failure confirmed","actionId":"aud1-reverse"}""");

        using var jsonResponse = await http.GetAsync(new Uri($"/v1/sellers/{seller}/audit/export", UriKind.Relative));
        var json = await jsonResponse.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, jsonResponse.StatusCode);
        var export = JsonSerializer.Deserialize<AuditExport>(json, Web)!;

        Assert.True(export.Verification.Intact, export.Verification.Summary);
        Assert.Equal(AuditChain.Algorithm, export.Algorithm);
        Assert.Equal(Enumerable.Range(1, export.Entries.Count).Select(i => (long?)i), export.Entries.Select(e => e.Seq));
        Assert.Equal(export.Entries[^1].Hash, export.Head!.Hash);
        Assert.NotEmpty(export.Digests);
        var decision = export.Entries.First(e => e.Kind == "decision");
        Assert.Equal("automatic", decision.Action);
        Assert.NotEmpty(decision.Reasons);
        Assert.NotEmpty(decision.EvidenceEventIds);
        Assert.False(string.IsNullOrEmpty(decision.PolicyVersion));
        var note = Assert.Single(export.Entries, e => e.Kind == "note");
        Assert.Equal("Called the seller; «refunds» look scripted", note.Note);
        Assert.StartsWith("alice (key ", note.Actor, StringComparison.Ordinal);
        var reverse = export.Entries[^1];
        Assert.Equal(("action", "analyst_reverse", "Carrier failure confirmed"), (reverse.Kind, reverse.Action, reverse.Note));
        Assert.True(export.Verify().Intact);
        // Personal identifiers stay keyed hashes: the bank account and address the scenario sent appear nowhere.
        Assert.DoesNotContain("FR76 1111", json, StringComparison.Ordinal);
        Assert.DoesNotContain("warehouse road", json, StringComparison.OrdinalIgnoreCase);

        using var accept = new HttpRequestMessage(HttpMethod.Get, new Uri($"/v1/sellers/{seller}/audit/export", UriKind.Relative));
        accept.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var csvResponse = await http.SendAsync(accept);
        var csv = await csvResponse.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType!.MediaType);
        Assert.Equal(csv, await http.GetStringAsync(new Uri($"/v1/sellers/{seller}/audit/export?format=csv", UriKind.Relative)));
        var fromCsv = AuditExportCsv.Read(csv);
        Assert.True(fromCsv.Verification.Intact, fromCsv.Verification.Summary);
        Assert.Equal(export.Entries.Select(e => (e.Seq, e.Hash, e.Details, e.Note, e.Score)), fromCsv.Entries.Select(e => (e.Seq, e.Hash, e.Details, e.Note, e.Score)));
        Assert.Equal(export.Head, fromCsv.Head);

        // An export edited after the fact names the row.
        var edited = JsonNode.Parse(json)!;
        var noteIndex = export.Entries.ToList().IndexOf(note);
        edited["entries"]![noteIndex]!["details"] = """{"note":"Nothing wrong here"}""";
        var verdict = JsonSerializer.Deserialize<AuditExport>(edited.ToJsonString(), Web)!.Verify();
        Assert.Equal((AuditChainVerifier.Edited, note.Seq, note.EntryId), (verdict.FirstTamper!.Change, verdict.FirstTamper.Seq, verdict.FirstTamper.EntryId));
    }

    [Fact]
    public async Task Verify_passes_an_untouched_trail_and_names_an_edited_row_in_the_table()
    {
        var seller = await SteppedUpSellerAsync("aud2");
        using var http = QueryTests.Analyst(host);
        var untouched = await http.GetFromJsonAsync<AuditVerification>(new Uri($"/v1/sellers/{seller}/audit/verify", UriKind.Relative), Web);
        Assert.True(untouched!.Intact, untouched.Summary);

        var rows = await RowsAsync(seller);
        var target = rows.First(r => r.GetInt64("ChainSeq") == 2);
        target["Step"] = "None";
        await ByEntity().UpdateEntityAsync(target, target.ETag, TableUpdateMode.Replace);

        var verdict = await http.GetFromJsonAsync<AuditVerification>(new Uri($"/v1/sellers/{seller}/audit/verify", UriKind.Relative), Web);
        Assert.False(verdict!.Intact);
        Assert.Equal((AuditChainVerifier.Edited, 2L, target.GetString("EntryId")), (verdict.FirstTamper!.Change, verdict.FirstTamper.Seq, verdict.FirstTamper.EntryId));
    }

    [Fact]
    public async Task Verify_names_an_inserted_row_and_a_removed_row()
    {
        var inserted = await SteppedUpSellerAsync("aud3");
        var removed = await SteppedUpSellerAsync("aud4");
        using var http = QueryTests.Analyst(host);

        var copy = (await RowsAsync(inserted)).First(r => r.GetInt64("ChainSeq") == 1);
        var forged = new TableEntity(copy) { RowKey = copy.RowKey + "x", ["EntryId"] = "forged-entry", ["RecordedAt"] = DateTimeOffset.UtcNow };
        forged.Remove("ChainSeq");
        forged.Remove("ChainPrevious");
        forged.Remove("ChainHash");
        await ByEntity().AddEntityAsync(forged);
        var second = (await RowsAsync(removed)).First(r => r.GetInt64("ChainSeq") == 2);
        await ByEntity().DeleteEntityAsync(second.PartitionKey, second.RowKey);

        var insertedVerdict = await http.GetFromJsonAsync<AuditVerification>(new Uri($"/v1/sellers/{inserted}/audit/verify", UriKind.Relative), Web);
        var removedVerdict = await http.GetFromJsonAsync<AuditVerification>(new Uri($"/v1/sellers/{removed}/audit/verify", UriKind.Relative), Web);

        Assert.Equal((AuditChainVerifier.Inserted, "forged-entry"), (insertedVerdict!.FirstTamper!.Change, insertedVerdict.FirstTamper.EntryId));
        Assert.Equal((AuditChainVerifier.Removed, 2L), (removedVerdict!.FirstTamper!.Change, removedVerdict.FirstTamper.Seq));
    }

    [Fact]
    public async Task A_trail_deleted_whole_is_named_by_the_admin_verify_of_its_hours()
    {
        var seller = await SteppedUpSellerAsync("aud5");
        using var http = QueryTests.Analyst(host);
        foreach (var row in await RowsAsync(seller, includeHead: true))
        {
            await ByEntity().DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-9).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"));
        var range = await http.GetFromJsonAsync<AuditRangeVerification>(new Uri($"/v1/admin/audit/verify?from={from}&to={to}", UriKind.Relative), Web);
        var entity = await http.GetFromJsonAsync<AuditVerification>(new Uri($"/v1/sellers/{seller}/audit/verify", UriKind.Relative), Web);

        Assert.False(range!.Intact);
        var failure = Assert.Single(range.Failures, f => f.EntityId == seller);
        Assert.Equal(AuditChainVerifier.Removed, failure.FirstTamper!.Change);
        Assert.StartsWith("the whole trail is gone", entity!.FirstTamper!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong-key-0123456789abcdef0123456789", HttpStatusCode.Unauthorized)]
    [InlineData(TestSecrets.ViewerKey, HttpStatusCode.Forbidden)]
    [InlineData(TestSecrets.IngestKey, HttpStatusCode.Forbidden)]
    public async Task Export_and_verify_need_an_analyst_key(string? key, HttpStatusCode expected)
    {
        using var http = host.Client(key);
        foreach (var path in new[] { $"/v1/sellers/{host.Seller}/audit/export", $"/v1/sellers/{host.Seller}/audit/export?format=csv", $"/v1/sellers/{host.Seller}/audit/verify", "/v1/admin/audit/verify" })
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(expected == response.StatusCode, $"{path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Export_of_an_unknown_entity_is_404_and_a_bad_format_400()
    {
        using var http = host.Client(TestSecrets.AnalystKey);
        using var unknown = await http.GetAsync(new Uri("/v1/sellers/S-never-seen/audit/export", UriKind.Relative));
        using var badFormat = await http.GetAsync(new Uri($"/v1/sellers/{host.Seller}/audit/export?format=xml", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
    }

    private async Task<string> SteppedUpSellerAsync(string suffix)
    {
        var scenario = new Scenarios(suffix).Brushing();
        await host.IngestAsync(scenario);
        await host.WaitForAsync($"/v1/sellers/{scenario.Seller}", v => v.GetProperty("level").GetInt32() >= 3, TimeSpan.FromSeconds(60));
        await host.WaitSettledAsync();
        return scenario.Seller;
    }

    private static async Task ActAsync(HttpClient http, string seller, string body)
    {
        using var response = await http.PostAsync(new Uri($"/v1/sellers/{seller}/actions", UriKind.Relative), QueryTests.Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{body}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private TableClient ByEntity() => new TableServiceClient(host.StorageConnectionString).GetTableClient("AuditByEntity");

    private async Task<List<TableEntity>> RowsAsync(string seller, bool includeHead = false)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in ByEntity().QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"seller_" + seller}")))
        {
            if (includeHead || row.RowKey != "~chain")
            {
                rows.Add(row);
            }
        }

        Assert.True(rows.Count >= 2, $"{seller} has {rows.Count} audit rows");
        return rows;
    }
}
