using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Integrity.Contracts;
using Integrity.Contracts.Audit;
using Integrity.Harness.Terminal;
using Integrity.LoadTests.Cli;
using Integrity.Storage.AzureTables.Audit;
using Integrity.Testing;
using Spectre.Console.Testing;

namespace Integrity.LoadTests.Tests;

/// <summary>
/// <c>audit-verify</c> on export files as the export endpoint writes them (JSON and CSV, untouched and tampered with),
/// and on the live tables of a real Azurite.
/// </summary>
public sealed class AuditVerifyCommandTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("integrity-audit-verify-").FullName;
    private readonly AzuriteFixture _azurite = new();

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _azurite.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task An_untouched_export_verifies_as_JSON_and_as_CSV()
    {
        var export = Export();
        var json = Write("trail.json", JsonSerializer.Serialize(export, JsonSerializerOptions.Web));
        var csv = Write("trail.csv", AuditExportCsv.Write(export));

        var (jsonCode, jsonOut) = await RunAsync("audit-verify", "--export", json);
        var (csvCode, csvOut) = await RunAsync("audit-verify", "--export", csv);

        Assert.Equal(0, jsonCode);
        Assert.Equal(0, csvCode);
        Assert.Contains("seller S-cli: intact: 4 chained rows (1 to 4)", jsonOut, StringComparison.Ordinal);
        Assert.Equal(jsonOut, csvOut);
    }

    [Fact]
    public async Task An_edited_CSV_names_the_row_and_exits_3()
    {
        var export = Export();
        var csv = AuditExportCsv.Write(export).Replace("«looks fine»", "«nothing found»", StringComparison.Ordinal);

        var (code, output) = await RunAsync("audit-verify", "--export", Write("edited.csv", csv));

        Assert.Equal(AuditVerifyCommand.Tampered, code);
        Assert.Contains("tampered: edited row 3 (entry note/S-cli-2)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_JSON_export_with_a_row_taken_out_names_the_gap()
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(Export(), JsonSerializerOptions.Web))!;
        json["entries"]!.AsArray().RemoveAt(1);

        var (code, output) = await RunAsync("audit-verify", "--export", Write("removed.json", json.ToJsonString()));

        Assert.Equal(AuditVerifyCommand.Tampered, code);
        Assert.Contains("tampered: removed row 2 (entry S-cli/d0): row 2 is missing", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_live_tables_verify_and_an_edit_there_is_named()
    {
        var audit = new AuditTable(new TableServiceClient(_azurite.ConnectionString));
        await audit.CreateIfNotExistsAsync();
        await audit.AppendAsync(Records());

        var (intactCode, intact) = await RunAsync("audit-verify", "--storage", _azurite.ConnectionString, "--kind", "seller", "--id", "S-cli");
        TableEntity? row = null;
        await foreach (var stored in audit.ByEntity.QueryAsync<TableEntity>("PartitionKey eq 'seller_S-cli' and EntryId eq 'S-cli/d3'"))
        {
            row = stored;
        }

        Assert.NotNull(row);
        row["Score"] = 0.01;
        await audit.ByEntity.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        var (editedCode, edited) = await RunAsync("audit-verify", "--storage", _azurite.ConnectionString, "--kind", "seller", "--id", "S-cli");
        var (rangeCode, range) = await RunAsync("audit-verify", "--storage", _azurite.ConnectionString, "--from", "2026-12-01T00:00:00Z", "--to", "2026-12-02T00:00:00Z");

        Assert.Equal((0, AuditVerifyCommand.Tampered, AuditVerifyCommand.Tampered), (intactCode, editedCode, rangeCode));
        Assert.Contains("intact", intact, StringComparison.Ordinal);
        Assert.Contains("tampered: edited row 4 (entry S-cli/d3)", edited, StringComparison.Ordinal);
        Assert.Contains("1 entities anchored", range, StringComparison.Ordinal);
        Assert.Contains("seller S-cli: tampered: edited row 4", range, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Neither_or_both_sources_is_a_usage_error()
    {
        Assert.Equal(2, (await RunAsync("audit-verify")).Code);
        Assert.Equal(2, (await RunAsync("audit-verify", "--export", "x.json", "--storage", "UseDevelopmentStorage=true")).Code);
    }

    private static List<AuditRecord> Records() =>
    [
        .. Enumerable.Range(0, 4).Select(i => i == 2
            ? new AuditRecord("seller", "S-cli", $"note/S-cli-{i}", "note", Start.AddMinutes(i), Start.AddMinutes(i), "Warning", 0.4, "p1", "bob (key 0a1b)", """{"note":"«looks fine»"}""")
            : new AuditRecord("seller", "S-cli", $"S-cli/d{i}", "decision", Start.AddMinutes(i), Start.AddMinutes(i).AddTicks(77), "PayoutsHeld", 0.71 + i, "p1", null,
                $$"""{"reasons":[{"code":"BRUSHING","message":"5 repeat buyers","eventIds":["e{{i}}"]}],"triggeringEventIds":["e{{i}}"],"origin":"automatic"}""")),
    ];

    private static AuditExport Export()
    {
        var records = Records();
        var links = AuditChain.Extend(null, records);
        var rows = records.Zip(links, (r, l) => new ChainedAuditRecord(r, l)).ToList();
        var head = new ChainHead(links[^1].Seq, links[^1].Hash);
        return AuditExport.Create(new AuditTrail("seller", "S-cli", rows, head, [new AuditDigest("2026120108", "seller", "S-cli", head.Seq, head.Hash)]), Start.AddDays(1));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await LoadTestCommandLine.InvokeAsync(args, output, error, new LiveProgress(new TestConsole(), interactive: false, TimeProvider.System, TimeSpan.FromSeconds(1)),
            TimeProvider.System, CancellationToken.None);
        return (code, output + error.ToString());
    }
}
