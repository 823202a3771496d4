using System.CommandLine;
using System.Text.Json;
using Azure.Data.Tables;
using Integrity.Contracts.Audit;
using Integrity.Harness.Terminal;
using Integrity.Storage.AzureTables.Audit;

namespace Integrity.LoadTests.Cli;

/// <summary>
/// <c>audit-verify</c>: checks an entity's audit trail against its hash chain (docs/audit-chain.md) and names the first
/// row edited, inserted or removed: an export file (JSON or CSV, from <c>GET /v1/{kind}s/{id}/audit/export</c>), one
/// entity in the live tables, or every entity the hourly digests of a time range name. Exit 0 intact, 3 tampered.
/// </summary>
public static class AuditVerifyCommand
{
    public const int Tampered = 3;

    public static Command Create(Func<ParseResult, CancellationToken, Task<int>> action)
    {
        var command = new Command("audit-verify", "Verifies an audit export file, or the live audit tables (one entity, or a range of hours), and names the first row edited, inserted or removed.")
        {
            new Option<string>("--export") { Description = "An export file: JSON, or CSV (by extension .csv, else by its first character)." },
            new Option<string>("--storage") { Description = "The engine's storage connection string, to verify the live tables instead." },
            new Option<string>("--kind") { Description = "With --storage: seller, listing or reviewer." },
            new Option<string>("--id") { Description = "With --storage and --kind: the entity's id." },
            new Option<DateTimeOffset?>("--from") { Description = "With --storage and no --id: the first hour whose digests are checked." },
            new Option<DateTimeOffset?>("--to") { Description = "With --storage and no --id: the end of the range (default now)." },
            new Option<string>("--table-prefix") { Description = "The audit tables' prefix.", DefaultValueFactory = _ => "Audit" },
        };
        command.SetAction(action);
        return command;
    }

    public static async Task<int> RunAsync(ParseResult cl, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        var file = cl.GetValue<string>("--export");
        var storage = cl.GetValue<string>("--storage");
        if ((file is null) == (storage is null))
        {
            throw new UsageException("give either --export FILE or --storage CONNECTION-STRING");
        }

        if (file is not null)
        {
            var verdict = Read(file).Verify();
            await output.WriteLineAsync($"{verdict.EntityKind} {verdict.EntityId}: {verdict.Summary}");
            return verdict.Intact ? 0 : Tampered;
        }

        var audit = new AuditTable(new TableServiceClient(storage), cl.GetValue<string>("--table-prefix")!);
        var kind = cl.GetValue<string>("--kind");
        var id = cl.GetValue<string>("--id");
        if (kind is not null || id is not null)
        {
            if (kind is null || id is null)
            {
                throw new UsageException("--kind and --id go together");
            }

            var verdict = await audit.VerifyEntityAsync(kind, id, cancellationToken);
            await output.WriteLineAsync($"{kind} {id}: {verdict.Summary}");
            return verdict.Intact ? 0 : Tampered;
        }

        var to = cl.GetValue<DateTimeOffset?>("--to") ?? time.GetUtcNow();
        var from = cl.GetValue<DateTimeOffset?>("--from") ?? throw new UsageException("with --storage, give --kind and --id, or --from (and --to)");
        if (from >= to)
        {
            throw new UsageException("--from must come before --to");
        }

        var range = await audit.VerifyRangeAsync(from, to, cancellationToken: cancellationToken);
        foreach (var failure in range.Failures)
        {
            await output.WriteLineAsync($"{failure.EntityKind} {failure.EntityId}: {failure.Summary}");
        }

        await output.WriteLineAsync($"{range.Entities} entities anchored in {from:O} to {to:O}: {(range.Intact ? "all intact" : $"{range.Tampered} tampered")}{(range.Truncated ? " (more were not checked)" : "")}");
        return range.Intact ? 0 : Tampered;
    }

    private static AuditExport Read(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {file}: {e.Message}");
        }

        try
        {
            return Path.GetExtension(file).Equals(".csv", StringComparison.OrdinalIgnoreCase) || !text.TrimStart().StartsWith('{')
                ? AuditExportCsv.Read(text)
                : JsonSerializer.Deserialize<AuditExport>(text, JsonSerializerOptions.Web) ?? throw new FormatException("the file holds null");
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new UsageException($"{file} is not an audit export: {e.Message}");
        }
    }
}
