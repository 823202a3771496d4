using System.Globalization;
using Azure.Data.Tables;
using Integrity.Contracts;
using Integrity.Contracts.Audit;

namespace Integrity.Storage.AzureTables.Audit;

/// <summary>
/// Row keys of the two audit tables. Per entity: PartitionKey <c>{kind}_{id}</c>; by time: PartitionKey the UTC hour.
/// RowKey <c>{ticks:D19}_{entryId}</c> sorts by time and keeps entries of the same instant apart. Keys from
/// <c>~</c> on (after every digit) are the chain's own rows, never entries: the chain head in an entity's
/// partition (<see cref="HeadRowKey"/>), and the digests in an hour's partition (<see cref="DigestRowKey"/>).
/// </summary>
internal static class AuditRows
{
    public const string HeadRowKey = "~chain";

    /// <summary>Entries sort before this key; chain rows at or after it.</summary>
    public const string ChainRowsFrom = "~";

    public const string SeqProperty = "ChainSeq";
    public const string PreviousProperty = "ChainPrevious";
    public const string HashProperty = "ChainHash";

    private const string DigestPrefix = "~digest~";

    public static string EntityPartition(string kind, string id) => TableNameRules.SanitizeKey($"{kind}_{id}");

    public static string HourPartition(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    public static string RowKey(DateTimeOffset at, string entryId) =>
        TableNameRules.SanitizeKey($"{at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}_{entryId}");

    public static string RowKey(AuditRecord entry) => RowKey(entry.OccurredAt, entry.EntryId);

    public static string TimeBound(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    public static string DigestRowKey(string entityPartition) => TableNameRules.SanitizeKey(DigestPrefix + entityPartition);

    public static TableEntity ToRow(string partitionKey, ChainedAuditRecord chained)
    {
        var entry = chained.Record;
        var row = new TableEntity(partitionKey, RowKey(entry))
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
        if (chained.Link is { } link)
        {
            row[SeqProperty] = link.Seq;
            row[PreviousProperty] = link.PreviousHash;
            row[HashProperty] = link.Hash;
        }

        return row;
    }

    public static ChainedAuditRecord FromRow(TableEntity row) => new(
        new AuditRecord(
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
            row.GetString("Details") ?? "{}"),
        row.GetInt64(SeqProperty) is { } seq ? new ChainLink(seq, row.GetString(PreviousProperty) ?? "", row.GetString(HashProperty) ?? "") : null);

    public static TableEntity HeadRow(string partitionKey, ChainHead head) => new(partitionKey, HeadRowKey)
    {
        [SeqProperty] = head.Seq,
        [HashProperty] = head.Hash,
    };

    public static ChainHead ReadHead(TableEntity row) => new(row.GetInt64(SeqProperty) ?? 0, row.GetString(HashProperty) ?? "");

    /// <summary>A digest row: deliberately without <c>Kind</c> and <c>Details</c>, so readers of decisions pass it by.</summary>
    public static TableEntity DigestRow(string hour, string kind, string id, ChainHead head) => new(hour, DigestRowKey(EntityPartition(kind, id)))
    {
        ["EntityKind"] = kind,
        ["EntityId"] = id,
        [SeqProperty] = head.Seq,
        [HashProperty] = head.Hash,
    };

    public static AuditDigest ReadDigest(TableEntity row) => new(
        row.PartitionKey, row.GetString("EntityKind") ?? "", row.GetString("EntityId") ?? "", row.GetInt64(SeqProperty) ?? 0, row.GetString(HashProperty) ?? "");

    public static bool IsDigest(TableEntity row) => row.RowKey.StartsWith(DigestPrefix, StringComparison.Ordinal);
}
