using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Integrity.Contracts;
using Integrity.Contracts.Audit;
using Integrity.Contracts.Services;

namespace Integrity.Storage.AzureTables.Audit;

/// <summary>
/// The append-only audit trail in two tables: one partitioned per entity (an entity's history), one per UTC hour
/// (everything in a time range). Each entity's rows form a hash chain (<see cref="AuditChain"/>, docs/audit-chain.md).
/// <para>
/// One writer per entity at a time, by optimistic concurrency: an entity's new rows and its chain head row
/// (<see cref="AuditRows.HeadRowKey"/>, in the same partition) are one entity-group transaction, the head written only
/// if its ETag is still the one this silo last saw. Decisions come from the entity's grain, analyst actions through
/// it too, so one silo appends an entity's rows almost always; during a grain's move, or with two activations in a
/// membership change, another silo may have moved the head: the transaction then fails whole (nothing half-written),
/// and this silo reads the head again and re-links. Heads are cached per silo, so the steady state costs no extra
/// request: a head not in the cache is first taken to be new (an entity's first rows), and read only if that fails.
/// </para>
/// <para>
/// Idempotent: an entry already stored (a replayed event, a retried batch) keeps its first row and link; the
/// by-time copy is written from the stored row. After the chain, the entity's rows go to the by-time table with a
/// digest row per hour they fall in (<see cref="AuditRows.DigestRowKey"/>): the entity's head after this append, in
/// the same transactions as the hour's rows. A trail deleted whole (head and all) still has its digests there.
/// </para>
/// </summary>
public sealed class AuditTable(TableServiceClient service, string tablePrefix = "Audit", int headCacheCapacity = 200_000) : IAuditLog
{
    private const int MaxParallelTransactions = 16;
    private const int MaxChainAttempts = 20;

    private readonly TableClient _byEntity = service.GetTableClient(tablePrefix + "ByEntity");
    private readonly TableClient _byTime = service.GetTableClient(tablePrefix + "ByTime");
    private readonly ConcurrentDictionary<string, StoredHead> _heads = new(StringComparer.Ordinal);

    private sealed record StoredHead(ChainHead Head, ETag ETag);

    private sealed record Appended(string EntityKind, string EntityId, IReadOnlyList<ChainedAuditRecord> Rows, ChainHead Head);

    public TableClient ByEntity => _byEntity;

    public TableClient ByTime => _byTime;

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

        // Per entity, in the order handed in; entities are independent, so their transactions run side by side (per
        // entity the partitions are small, often one row: one after another would cap the audit at a few dozen/s).
        var appended = new ConcurrentBag<Appended>();
        var entities = entries.GroupBy(e => AuditRows.EntityPartition(e.EntityKind, e.EntityId)).ToList();
        await Parallel.ForEachAsync(entities, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelTransactions, CancellationToken = cancellationToken }, async (entity, token) =>
        {
            var first = entity.First();
            var (rows, head) = await ChainAsync(entity.Key, [.. entity], token);
            appended.Add(new Appended(first.EntityKind, first.EntityId, rows, head));
        });

        var byTime = new List<TableTransactionAction>();
        foreach (var entity in appended)
        {
            foreach (var row in entity.Rows)
            {
                byTime.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, AuditRows.ToRow(AuditRows.HourPartition(row.Record.OccurredAt), row), ETag.All));
            }

            if (entity.Head.Seq == 0)
            {
                // Only rows from before the chain were handed in again: there is no head to anchor.
                continue;
            }

            foreach (var hour in entity.Rows.Select(r => AuditRows.HourPartition(r.Record.OccurredAt)).Distinct())
            {
                byTime.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, AuditRows.DigestRow(hour, entity.EntityKind, entity.EntityId, entity.Head), ETag.All));
            }
        }

        await Parallel.ForEachAsync(EntityGroupBatches.Of(byTime), new ParallelOptions { MaxDegreeOfParallelism = MaxParallelTransactions, CancellationToken = cancellationToken },
            async (batch, token) => await _byTime.SubmitTransactionAsync(batch, token));
    }

    /// <summary>
    /// Links an entity's new entries after its head and writes them with the head, in transactions of up to 99 rows.
    /// Returns every entry as stored (new ones with their links, earlier ones as first written) and the head after.
    /// </summary>
    private async Task<(IReadOnlyList<ChainedAuditRecord> Rows, ChainHead Head)> ChainAsync(string partition, IReadOnlyList<AuditRecord> entries, CancellationToken cancellationToken)
    {
        var pending = entries.DistinctBy(AuditRows.RowKey).ToList();
        var done = new List<ChainedAuditRecord>(pending.Count);
        for (var attempt = 1; ; attempt++)
        {
            _heads.TryGetValue(partition, out var stored);
            try
            {
                while (pending.Count > 0)
                {
                    var chunk = pending.Take(EntityGroupBatches.MaxActions - 1).ToList();
                    var rows = chunk.Zip(AuditChain.Extend(stored?.Head, chunk), (r, l) => new ChainedAuditRecord(r, l)).ToList();
                    var head = new ChainHead(rows[^1].Link!.Seq, rows[^1].Link!.Hash);
                    var actions = rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, AuditRows.ToRow(partition, r))).ToList();
                    actions.Add(stored is null
                        ? new TableTransactionAction(TableTransactionActionType.Add, AuditRows.HeadRow(partition, head))
                        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, AuditRows.HeadRow(partition, head), stored.ETag));
                    var response = await _byEntity.SubmitTransactionAsync(actions, cancellationToken);
                    stored = new StoredHead(head, response.Value[^1].Headers.ETag ?? default);
                    Remember(partition, stored);
                    done.AddRange(rows);
                    pending.RemoveRange(0, chunk.Count);
                }

                return (done, stored?.Head ?? new ChainHead(0, AuditChain.Genesis));
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 or 404 && attempt < MaxChainAttempts)
            {
                // The head moved (another silo appended), or was not new, or some entries are stored already (a
                // replay, a retried batch): nothing of the transaction was written. Read both, and link again.
                _heads.TryRemove(partition, out _);
                if (await ReadHeadAsync(partition, cancellationToken) is { } head)
                {
                    Remember(partition, head);
                }

                var existing = await ReadStoredAsync(partition, pending, cancellationToken);
                done.AddRange(existing.Values);
                pending.RemoveAll(p => existing.ContainsKey(AuditRows.RowKey(p)));
            }
        }
    }

    private void Remember(string partition, StoredHead head)
    {
        if (head.ETag == default)
        {
            _heads.TryRemove(partition, out _);
            return;
        }

        if (_heads.Count >= headCacheCapacity)
        {
            // Bounded memory: a forgotten head costs one failed transaction and one read when its entity appends again.
            _heads.Clear();
        }

        _heads[partition] = head;
    }

    private async Task<StoredHead?> ReadHeadAsync(string partition, CancellationToken cancellationToken)
    {
        var row = await _byEntity.GetEntityIfExistsAsync<TableEntity>(partition, AuditRows.HeadRowKey, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } head ? new StoredHead(AuditRows.ReadHead(head), head.ETag) : null;
    }

    /// <summary>The stored rows among <paramref name="entries"/>, by row key (one range query over their keys).</summary>
    private async Task<Dictionary<string, ChainedAuditRecord>> ReadStoredAsync(string partition, IReadOnlyList<AuditRecord> entries, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, ChainedAuditRecord>(StringComparer.Ordinal);
        if (entries.Count == 0)
        {
            return result;
        }

        var keys = entries.Select(AuditRows.RowKey).ToHashSet(StringComparer.Ordinal);
        var min = keys.Min(StringComparer.Ordinal)!;
        var max = keys.Max(StringComparer.Ordinal)!;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {min} and RowKey le {max}");
        await foreach (var row in _byEntity.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (keys.Contains(row.RowKey))
            {
                result[row.RowKey] = AuditRows.FromRow(row);
            }
        }

        return result;
    }

    /// <summary>An entity's history, oldest first, optionally from a time on.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadEntityAsync(string kind, string id, DateTimeOffset? from = null, int max = 500, CancellationToken cancellationToken = default)
    {
        var partition = AuditRows.EntityPartition(kind, id);
        var filter = from is { } f
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {AuditRows.TimeBound(f)} and RowKey lt {AuditRows.ChainRowsFrom}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey lt {AuditRows.ChainRowsFrom}");
        return await QueryAsync(_byEntity, filter, max, cancellationToken);
    }

    /// <summary>Everything recorded in [from, to), oldest first, hour partition by hour partition.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadRangeAsync(DateTimeOffset from, DateTimeOffset to, int max = 500, CancellationToken cancellationToken = default)
    {
        var result = new List<AuditRecord>();
        for (var hour = StartOfHour(from); hour < to && result.Count < max; hour = hour.AddHours(1))
        {
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {AuditRows.HourPartition(hour)} and RowKey ge {AuditRows.TimeBound(from)} and RowKey lt {AuditRows.TimeBound(to)}");
            result.AddRange(await QueryAsync(_byTime, filter, max - result.Count, cancellationToken));
        }

        return result;
    }

    /// <summary>
    /// The entity's whole partition (every row, chained or not, and the head) and, unless <paramref name="withDigests"/>
    /// is false, every digest naming it: a scan of the by-time table by row key, for a verifier, not a hot path.
    /// </summary>
    public async Task<AuditTrail> ReadTrailAsync(string kind, string id, bool withDigests = true, CancellationToken cancellationToken = default)
    {
        var partition = AuditRows.EntityPartition(kind, id);
        var entries = new List<ChainedAuditRecord>();
        ChainHead? head = null;
        await foreach (var row in _byEntity.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken))
        {
            if (row.RowKey == AuditRows.HeadRowKey)
            {
                head = AuditRows.ReadHead(row);
            }
            else if (string.CompareOrdinal(row.RowKey, AuditRows.ChainRowsFrom) < 0)
            {
                entries.Add(AuditRows.FromRow(row));
            }
        }

        var digests = new List<AuditDigest>();
        if (withDigests)
        {
            await foreach (var row in _byTime.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {AuditRows.DigestRowKey(partition)}"), cancellationToken: cancellationToken))
            {
                digests.Add(AuditRows.ReadDigest(row));
            }
        }

        return new AuditTrail(kind, id, entries, head, digests);
    }

    /// <summary>
    /// The policy decisions (kind <c>decision</c>) of <paramref name="policyVersion"/> with event time in [from, to), at most
    /// <paramref name="max"/>: one query over the range's hour partitions, the rest filtered out by the table service.
    /// </summary>
    public async Task<RangeRead> ReadDecisionsAsync(DateTimeOffset from, DateTimeOffset to, string policyVersion, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var result = new List<AuditRecord>();
        if (from >= to)
        {
            return new RangeRead(result, Truncated: false);
        }

        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {AuditRows.HourPartition(from)} and PartitionKey le {AuditRows.HourPartition(to.AddTicks(-1))} and OccurredAt ge {from} and OccurredAt lt {to} and Kind eq {"decision"} and PolicyVersion eq {policyVersion}");
        await foreach (var row in _byTime.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (AuditRows.IsDigest(row))
            {
                continue;
            }

            if (result.Count == max)
            {
                return new RangeRead(result, Truncated: true);
            }

            result.Add(AuditRows.FromRow(row).Record);
        }

        return new RangeRead(result, Truncated: false);
    }

    /// <summary>Every hourly digest row of the hours that [from, to) touches.</summary>
    public async Task<IReadOnlyList<AuditDigest>> ReadDigestsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var result = new List<AuditDigest>();
        for (var hour = StartOfHour(from); hour < to; hour = hour.AddHours(1))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AuditRows.HourPartition(hour)} and RowKey ge {AuditRows.ChainRowsFrom}");
            await foreach (var row in _byTime.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                if (AuditRows.IsDigest(row))
                {
                    result.Add(AuditRows.ReadDigest(row));
                }
            }
        }

        return result;
    }

    private static DateTimeOffset StartOfHour(DateTimeOffset at) => new(at.UtcDateTime.Date.AddHours(at.UtcDateTime.Hour), TimeSpan.Zero);

    private static async Task<IReadOnlyList<AuditRecord>> QueryAsync(TableClient table, string filter, int max, CancellationToken cancellationToken)
    {
        var result = new List<AuditRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            result.Add(AuditRows.FromRow(row).Record);
            if (result.Count >= max)
            {
                break;
            }
        }

        return result;
    }
}
