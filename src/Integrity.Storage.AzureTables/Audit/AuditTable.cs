using Azure;
using Azure.Data.Tables;
using Integrity.Contracts;
using Integrity.Contracts.Services;

namespace Integrity.Storage.AzureTables.Audit;

/// <summary>
/// The append-only audit trail in two tables: one partitioned per entity (an entity's history), one per UTC hour
/// (everything in a time range). Appends are written as entity-group transactions of up to 100 rows per partition,
/// and are idempotent: re-appending an entry (a replayed event) upserts the same row.
/// </summary>
public sealed class AuditTable(TableServiceClient service, string tablePrefix = "Audit") : IAuditLog
{
    private const int MaxParallelTransactions = 16;

    private readonly TableClient _byEntity = service.GetTableClient(tablePrefix + "ByEntity");
    private readonly TableClient _byTime = service.GetTableClient(tablePrefix + "ByTime");

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        await _byEntity.CreateIfNotExistsAsync(cancellationToken);
        await _byTime.CreateIfNotExistsAsync(cancellationToken);
    }

    public async Task AppendAsync(IReadOnlyCollection<AuditRecord> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await Task.WhenAll(
            WriteGroupedAsync(_byEntity, entries, e => AuditRows.EntityPartition(e.EntityKind, e.EntityId), cancellationToken),
            WriteGroupedAsync(_byTime, entries, e => AuditRows.HourPartition(e.OccurredAt), cancellationToken));
    }

    /// <summary>An entity's history, oldest first, optionally from a time on.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadEntityAsync(string kind, string id, DateTimeOffset? from = null, int max = 500, CancellationToken cancellationToken = default)
    {
        var partition = AuditRows.EntityPartition(kind, id);
        var filter = from is { } f
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {AuditRows.TimeBound(f)}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        return await QueryAsync(_byEntity, filter, max, cancellationToken);
    }

    /// <summary>Everything recorded in [from, to), oldest first, hour partition by hour partition.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadRangeAsync(DateTimeOffset from, DateTimeOffset to, int max = 500, CancellationToken cancellationToken = default)
    {
        var result = new List<AuditRecord>();
        for (var hour = new DateTimeOffset(from.UtcDateTime.Date.AddHours(from.UtcDateTime.Hour), TimeSpan.Zero); hour < to && result.Count < max; hour = hour.AddHours(1))
        {
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {AuditRows.HourPartition(hour)} and RowKey ge {AuditRows.TimeBound(from)} and RowKey lt {AuditRows.TimeBound(to)}");
            result.AddRange(await QueryAsync(_byTime, filter, max - result.Count, cancellationToken));
        }

        return result;
    }

    private static async Task<IReadOnlyList<AuditRecord>> QueryAsync(TableClient table, string filter, int max, CancellationToken cancellationToken)
    {
        var result = new List<AuditRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            result.Add(AuditRows.FromRow(row));
            if (result.Count >= max)
            {
                break;
            }
        }

        return result;
    }

    private static async Task WriteGroupedAsync(TableClient table, IEnumerable<AuditRecord> entries, Func<AuditRecord, string> partitionOf, CancellationToken cancellationToken)
    {
        // An entry appended twice gives the same row twice; the batches keep it once.
        var batches = EntityGroupBatches.Of(entries.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, AuditRows.ToRow(partitionOf(e), e), ETag.All)));
        // Per entity the partitions are small (often one row): one transaction after another would cap the audit at a
        // few dozen decisions/s, and every checkpoint waits for the audit. Partitions are independent: write them side by side.
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelTransactions, CancellationToken = cancellationToken }, async (batch, token) =>
        {
            await table.SubmitTransactionAsync(batch, token);
        });
    }
}
