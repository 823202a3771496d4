using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Integrity.Contracts;

namespace Integrity.Storage.AzureTables.Index;

/// <summary>
/// The index tables the query API lists from, kept up to date from the audit records as they are appended, so no
/// list ever scans grains. Writes are entity-group transactions of up to 100 rows per partition and are idempotent:
/// re-applying a batch (a retried append, a replayed event) leaves the same rows. See <see cref="IndexRows"/> for the layout.
/// </summary>
public sealed class QueryIndex(TableServiceClient service, string tablePrefix = "Index")
{
    private const int MaxParallelReads = 16;

    private readonly TableClient _entities = service.GetTableClient(tablePrefix + "Entities");
    private readonly TableClient _decisions = service.GetTableClient(tablePrefix + "Decisions");

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        await _entities.CreateIfNotExistsAsync(cancellationToken);
        await _decisions.CreateIfNotExistsAsync(cancellationToken);
    }

    /// <summary>Indexes records already appended to the audit trail, in the order they were appended.</summary>
    public async Task ApplyAsync(IReadOnlyCollection<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0)
        {
            return;
        }

        var decisionRows = records.SelectMany(r => new[] { IndexRows.AllScope, r.EntityKind }.Select(scope => IndexRows.DecisionRow(scope, r)))
            .Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r, ETag.All));
        await SubmitAsync(_decisions, decisionRows, cancellationToken);
        await RankAsync(records, cancellationToken);
        await QueueAppealsAsync(records, cancellationToken);
    }

    /// <summary>Appeals awaiting an analyst, oldest first (see <see cref="AppealIndex"/>).</summary>
    public Task<IndexPage<OpenAppeal>> OpenAppealsAsync(string? kind, int limit, string? continuation = null, CancellationToken cancellationToken = default) =>
        PageAsync(_entities, AppealIndex.Partition, kind is null ? null : TableClient.CreateQueryFilter($"Kind eq {kind}"), continuation, null, limit,
            AppealIndex.Read, cancellationToken);

    /// <summary>
    /// Opens and closes appeal rows in audit order, one by one: appeals are few, and a filing and its outcome may share
    /// a batch. Both are idempotent (an upsert, a delete of what is there), so a retried batch leaves the same rows.
    /// </summary>
    private async Task QueueAppealsAsync(IReadOnlyCollection<AuditRecord> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            if (record.Kind is not ("appeal" or "action") || AppealIndex.Of(record) is not { } change)
            {
                continue;
            }

            if (change.Opened is { } row)
            {
                await _entities.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
                continue;
            }

            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AppealIndex.Partition} and CaseKey eq {change.CaseKey}");
            await foreach (var open in _entities.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                await SubmitOneAsync(_entities, new TableTransactionAction(TableTransactionActionType.Delete, open, ETag.All), cancellationToken);
            }
        }
    }

    /// <summary>Sellers, listings or reviewers above None, highest step first, then highest score.</summary>
    public Task<IndexPage<RankedEntity>> TopRiskAsync(string kind, int limit, string? continuation = null, CancellationToken cancellationToken = default) =>
        PageAsync(_entities, IndexRows.RiskPartition(kind), null, continuation, null, limit, IndexRows.Ranked, cancellationToken);

    /// <summary>Entities the policy stepped up that no analyst has confirmed, reversed, reinstated or overridden since.</summary>
    public Task<IndexPage<RankedEntity>> OpenCasesAsync(string? kind, int limit, string? continuation = null, CancellationToken cancellationToken = default) =>
        PageAsync(_entities, IndexRows.OpenPartition, kind is null ? null : TableClient.CreateQueryFilter($"Kind eq {kind}"), continuation, null, limit,
            IndexRows.Ranked, cancellationToken);

    /// <summary>Where the entity stands in the index (null if it never had a decision).</summary>
    public async Task<RankedEntity?> EntityAsync(string kind, string id, CancellationToken cancellationToken = default)
    {
        var row = await _entities.GetEntityIfExistsAsync<TableEntity>(IndexRows.EntityPartition(kind), TableNameRules.SanitizeKey(id), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity ? IndexRows.Ranked(entity) : null;
    }

    /// <summary>Decisions, actions and notes newest first, by event time.</summary>
    public Task<IndexPage<IndexedDecision>> DecisionsAsync(DecisionQuery query, CancellationToken cancellationToken = default)
    {
        var scope = query.EntityKind ?? IndexRows.AllScope;
        var filter = query.RecordKind is null ? null : TableClient.CreateQueryFilter($"Kind eq {query.RecordKind}");
        var after = query.To is { } to ? IndexRows.InvertedTime(to) + IndexRows.AfterInstant : null;
        var before = query.From is { } from ? IndexRows.InvertedTime(from) + IndexRows.AfterInstant : null;
        return PageAsync(_decisions, scope, filter, query.Continuation, after, query.Limit, IndexRows.Decision, cancellationToken, before);
    }

    private async Task RankAsync(IReadOnlyCollection<AuditRecord> records, CancellationToken cancellationToken)
    {
        var moved = records
            .Where(r => IndexFold.Read(r) is not null)
            .GroupBy(r => (r.EntityKind, r.EntityId))
            .ToList();
        if (moved.Count == 0)
        {
            return;
        }

        var current = new ConcurrentDictionary<(string, string), TableEntity?>();
        await Parallel.ForEachAsync(moved, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelReads, CancellationToken = cancellationToken }, async (group, ct) =>
        {
            var row = await _entities.GetEntityIfExistsAsync<TableEntity>(IndexRows.EntityPartition(group.Key.EntityKind), TableNameRules.SanitizeKey(group.Key.EntityId), cancellationToken: ct);
            current[group.Key] = row.HasValue ? row.Value : null;
        });

        var listOps = new List<TableTransactionAction>();
        var pointerOps = new List<TableTransactionAction>();
        foreach (var group in moved)
        {
            var before = current[group.Key];
            var was = before is null ? null : IndexRows.Ranked(before);
            var now = group.Aggregate(was, IndexFold.Apply);
            if (now is null)
            {
                continue;
            }

            var riskKey = now.Level > 0 ? IndexRows.RiskKey(now) : null;
            var openKey = now.OpenedAt is not null ? IndexRows.OpenKey(now) : null;
            Move(listOps, IndexRows.RiskPartition(now.Kind), before?.GetString("RiskKey"), riskKey, now);
            Move(listOps, IndexRows.OpenPartition, before?.GetString("OpenKey"), openKey, now);

            var pointer = IndexRows.ToRow(IndexRows.EntityPartition(now.Kind), TableNameRules.SanitizeKey(now.Id), now, riskKey ?? "", openKey ?? "");
            pointerOps.Add(before is null
                ? new TableTransactionAction(TableTransactionActionType.Add, pointer)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, pointer, before.ETag));
        }

        // List rows first, pointers last: if anything fails the pointers still name the old rows, and the retried
        // batch moves them again (a delete of a row already gone is ignored).
        await SubmitAsync(_entities, listOps, cancellationToken);
        await SubmitAsync(_entities, pointerOps, cancellationToken);
    }

    private static void Move(List<TableTransactionAction> ops, string partition, string? oldKey, string? newKey, RankedEntity entity)
    {
        if (!string.IsNullOrEmpty(oldKey) && oldKey != newKey)
        {
            ops.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, oldKey), ETag.All));
        }

        if (newKey is not null)
        {
            ops.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, IndexRows.ToRow(partition, newKey, entity), ETag.All));
        }
    }

    private static async Task SubmitAsync(TableClient table, IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(EntityGroupBatches.Of(actions), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            try
            {
                await table.SubmitTransactionAsync(batch, ct);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // A list row to delete was already gone (a retried batch): apply one by one, ignoring those.
                foreach (var action in batch)
                {
                    await SubmitOneAsync(table, action, ct);
                }
            }
        });
    }

    private static async Task SubmitOneAsync(TableClient table, TableTransactionAction action, CancellationToken cancellationToken)
    {
        switch (action.ActionType)
        {
            case TableTransactionActionType.Delete:
                try
                {
                    await table.DeleteEntityAsync(action.Entity.PartitionKey, action.Entity.RowKey, ETag.All, cancellationToken);
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                }

                break;
            case TableTransactionActionType.Add:
                await table.AddEntityAsync(action.Entity, cancellationToken);
                break;
            case TableTransactionActionType.UpdateReplace:
                await table.UpdateEntityAsync(action.Entity, action.ETag, TableUpdateMode.Replace, cancellationToken);
                break;
            default:
                await table.UpsertEntityAsync(action.Entity, TableUpdateMode.Replace, cancellationToken);
                break;
        }
    }

    /// <summary>
    /// One page of one partition in RowKey order: rows after <paramref name="lowerBound"/> (exclusive) or the
    /// continuation, whichever is later, and before <paramref name="upperBound"/> (exclusive).
    /// </summary>
    private static async Task<IndexPage<T>> PageAsync<T>(
        TableClient table,
        string partition,
        string? filter,
        string? continuation,
        string? lowerBound,
        int limit,
        Func<TableEntity, T> map,
        CancellationToken cancellationToken,
        string? upperBound = null)
    {
        var listName = partition + (filter is null ? "" : "|" + filter);
        var after = IndexRows.AfterKey(listName, continuation);
        if (lowerBound is not null && (after is null || string.CompareOrdinal(lowerBound, after) > 0))
        {
            after = lowerBound;
        }

        var clauses = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {partition}") };
        if (after is not null)
        {
            clauses.Add(TableClient.CreateQueryFilter($"RowKey gt {after}"));
        }

        if (upperBound is not null)
        {
            clauses.Add(TableClient.CreateQueryFilter($"RowKey lt {upperBound}"));
        }

        if (filter is not null)
        {
            clauses.Add(filter);
        }

        var rows = new List<TableEntity>(limit + 1);
        await foreach (var row in table.QueryAsync<TableEntity>(string.Join(" and ", clauses), maxPerPage: Math.Min(limit + 1, 1000), cancellationToken: cancellationToken))
        {
            rows.Add(row);
            if (rows.Count > limit)
            {
                break;
            }
        }

        var more = rows.Count > limit;
        var page = rows.Take(limit).ToList();
        return new IndexPage<T>([.. page.Select(map)], more ? IndexRows.Continuation(listName, page[^1].RowKey) : null);
    }
}
