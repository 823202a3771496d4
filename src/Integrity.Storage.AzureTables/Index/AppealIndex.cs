using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Integrity.Contracts;

namespace Integrity.Storage.AzureTables.Index;

/// <summary>
/// Open appeals as the queue shows them, derived from audit records alone: an <c>appeal</c> record opens one, an
/// <c>action</c> whose details name the appeal (<c>appealId</c>, an <c>appeal_*</c> origin) closes it. Rows live in
/// the entities table, partition <c>appeals</c>, RowKey <c>{filed ticks:D19}_{kind}_{id}_{appealId}</c>: oldest first,
/// the order analysts take them in.
/// </summary>
public static class AppealIndex
{
    public const string Partition = "appeals";

    /// <summary>How much of the statement a list row keeps; the case itself has all of it.</summary>
    public const int StatementPreview = 280;

    /// <summary>What one audit record does to the queue: opens the row (a filed appeal), closes it (an outcome), or nothing.</summary>
    public sealed record Change(string CaseKey, TableEntity? Opened);

    public static Change? Of(AuditRecord record)
    {
        if (record.Kind is not ("appeal" or "action"))
        {
            return null;
        }

        try
        {
            using var details = JsonDocument.Parse(record.Details);
            var root = details.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "appealId") is not { } appealId)
            {
                return null;
            }

            var caseKey = CaseKey(record.EntityKind, record.EntityId, appealId);
            if (record.Kind == "action")
            {
                return Text(root, "origin") is { } origin && origin.StartsWith("appeal_", StringComparison.Ordinal) ? new Change(caseKey, null) : null;
            }

            var filedAt = root.TryGetProperty("filedAt", out var f) && f.TryGetDateTimeOffset(out var at) ? at : record.OccurredAt;
            var statement = Text(root, "statement") ?? "";
            var row = new TableEntity(Partition, string.Create(CultureInfo.InvariantCulture,
                $"{filedAt.UtcTicks:D19}_{record.EntityKind}_{TableNameRules.SanitizeKey(record.EntityId)}_{TableNameRules.SanitizeKey(appealId)}"))
            {
                ["CaseKey"] = caseKey,
                ["Kind"] = record.EntityKind,
                ["EntityId"] = record.EntityId,
                ["AppealId"] = appealId,
                ["FiledAt"] = filedAt,
                ["RecordedAt"] = record.RecordedAt,
                ["Step"] = record.Step,
                ["Score"] = record.Score is { } score ? IndexRows.ShownScore(score) : null,
                ["PolicyVersion"] = record.PolicyVersion,
                ["DecisionId"] = Text(root, "decisionId"),
                ["ContestedFrom"] = Text(root, "contestedFrom"),
                ["ContestedTo"] = Text(root, "contestedTo"),
                ["ContestedLevel"] = root.TryGetProperty("toLevel", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetInt32() : null,
                ["ReasonCodes"] = root.TryGetProperty("reasonCodes", out var codes) && codes.ValueKind == JsonValueKind.Array
                    ? string.Join(' ', codes.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()))
                    : "",
                ["Statement"] = statement.Length <= StatementPreview ? statement : statement[..StatementPreview] + "…",
                ["Attachments"] = root.TryGetProperty("attachments", out var a) && a.ValueKind == JsonValueKind.Array ? a.GetArrayLength() : 0,
            };
            return new Change(caseKey, row);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One appeal, whatever its row key: <c>{kind}|{id}|{appealId}</c>.</summary>
    public static string CaseKey(string kind, string entityId, string appealId) => $"{kind}|{entityId}|{appealId}";

    public static OpenAppeal Read(TableEntity row) => new(
        row.GetString("Kind") ?? "",
        row.GetString("EntityId") ?? "",
        row.GetString("AppealId") ?? "",
        row.GetDateTimeOffset("FiledAt") ?? default,
        row.GetString("Step"),
        row.GetDouble("Score"),
        row.GetString("DecisionId") ?? "",
        row.GetString("ContestedFrom"),
        row.GetString("ContestedTo"),
        row.GetInt32("ContestedLevel"),
        string.IsNullOrEmpty(row.GetString("ReasonCodes")) ? [] : row.GetString("ReasonCodes")!.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        row.GetString("Statement") ?? "",
        row.GetInt32("Attachments") ?? 0,
        row.GetString("PolicyVersion"));

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
