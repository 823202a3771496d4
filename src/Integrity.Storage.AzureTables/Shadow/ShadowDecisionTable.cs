using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Integrity.Contracts;
using Integrity.Contracts.Services;
using Integrity.Storage.AzureTables.Audit;

namespace Integrity.Storage.AzureTables.Shadow;

/// <summary>
/// The candidate policy's would-be decisions, apart from the audit trail. PartitionKey the UTC day of the event time
/// (<c>yyyyMMdd</c>), RowKey <c>{event ticks:D19}_{SHA-256 of the entry id, 32 hex}</c>: a range of days is a few
/// partition scans, and a replayed decision (same id, same event time) lands on its own row again. Appends are
/// entity-group transactions per day.
/// </summary>
public sealed class ShadowDecisionTable(TableServiceClient service, string tableName = "ShadowDecisions") : IShadowDecisionLog
{
    /// <summary>Details longer than this are not kept (a table string holds 32K UTF-16 characters); the row still counts.</summary>
    private const int MaxDetailsLength = 30_000;

    private readonly TableClient _table = service.GetTableClient(tableName);

    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => _table.CreateIfNotExistsAsync(cancellationToken);

    public async Task AppendAsync(IReadOnlyCollection<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var actions = records.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToRow(r), ETag.All));
        foreach (var batch in EntityGroupBatches.Of(actions))
        {
            await _table.SubmitTransactionAsync(batch, cancellationToken);
        }
    }

    public async Task<RangeRead> ReadRangeAsync(DateTimeOffset from, DateTimeOffset to, string policyVersion, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var result = new List<AuditRecord>();
        for (var day = from.UtcDateTime.Date; day < to.UtcDateTime; day = day.AddDays(1))
        {
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {Day(day)} and RowKey ge {Ticks(from)} and RowKey lt {Ticks(to)} and PolicyVersion eq {policyVersion}");
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
            {
                if (result.Count == max)
                {
                    return new RangeRead(result, Truncated: true);
                }

                result.Add(FromRow(row));
            }
        }

        return new RangeRead(result, Truncated: false);
    }

    private static string Day(DateTime day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Ticks(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    private static TableEntity ToRow(AuditRecord r)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(r.EntityKind + "/" + r.EntryId)))[..32];
        return new TableEntity(Day(r.OccurredAt.UtcDateTime.Date), $"{Ticks(r.OccurredAt)}_{hash}")
        {
            ["EntityKind"] = r.EntityKind,
            ["EntityId"] = r.EntityId,
            ["EntryId"] = r.EntryId,
            ["Kind"] = r.Kind,
            ["OccurredAt"] = r.OccurredAt,
            ["RecordedAt"] = r.RecordedAt,
            ["Step"] = r.Step,
            ["Score"] = r.Score,
            ["PolicyVersion"] = r.PolicyVersion,
            ["Actor"] = r.Actor,
            ["Details"] = r.Details.Length <= MaxDetailsLength ? r.Details : "{}",
        };
    }

    // The audit's own columns (AuditRows), without its chain: a shadow row is never chained.
    private static AuditRecord FromRow(TableEntity row) => AuditRows.FromRow(row).Record;
}
