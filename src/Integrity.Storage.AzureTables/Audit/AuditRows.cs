using System.Globalization;
using Azure.Data.Tables;
using Integrity.Contracts;

namespace Integrity.Storage.AzureTables.Audit;

/// <summary>
/// Row keys of the two audit tables. Per entity: PartitionKey <c>{kind}_{id}</c>; by time: PartitionKey the UTC hour.
/// RowKey <c>{ticks:D19}_{entryId}</c> sorts by time and keeps entries of the same instant apart.
/// </summary>
internal static class AuditRows
{
    public static string EntityPartition(string kind, string id) => TableNameRules.SanitizeKey($"{kind}_{id}");

    public static string HourPartition(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    public static string RowKey(DateTimeOffset at, string entryId) =>
        TableNameRules.SanitizeKey($"{at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}_{entryId}");

    public static string TimeBound(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    public static TableEntity ToRow(string partitionKey, AuditRecord entry) => new(partitionKey, RowKey(entry.OccurredAt, entry.EntryId))
    {
        ["EntityKind"] = entry.EntityKind,
        ["EntityId"] = entry.EntityId,
        ["EntryId"] = entry.EntryId,
        ["Kind"] = entry.Kind,
        ["OccurredAt"] = entry.OccurredAt,
        ["RecordedAt"] = entry.RecordedAt,
        ["Step"] = entry.Step,
        ["Score"] = entry.Score,
        ["PolicyVersion"] = entry.PolicyVersion,
        ["Actor"] = entry.Actor,
        ["Details"] = entry.Details,
    };

    public static AuditRecord FromRow(TableEntity row) => new(
        row.GetString("EntityKind"),
        row.GetString("EntityId"),
        row.GetString("EntryId"),
        row.GetString("Kind"),
        row.GetDateTimeOffset("OccurredAt") ?? default,
        row.GetDateTimeOffset("RecordedAt") ?? default,
        row.GetString("Step"),
        row.GetDouble("Score"),
        row.GetString("PolicyVersion"),
        row.GetString("Actor"),
        row.GetString("Details") ?? "{}");
}
