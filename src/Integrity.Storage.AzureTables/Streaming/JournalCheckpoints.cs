using Azure;
using Azure.Data.Tables;
using Integrity.Contracts.Services;

namespace Integrity.Storage.AzureTables.Streaming;

/// <summary>
/// Per-partition checkpoints of the journal consumers: the highest sequence number whose events are applied
/// AND whose grain states are durably written. A restarted consumer replays everything after it.
/// </summary>
public sealed class JournalCheckpoints(TableServiceClient service, string tableName = "JournalCheckpoints") : IJournalCheckpointStore
{
    private const string Partition = "checkpoint";
    private readonly TableClient _table = service.GetTableClient(tableName);

    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => _table.CreateIfNotExistsAsync(cancellationToken);

    public async Task<long> ReadAsync(int partition, CancellationToken cancellationToken = default)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, RowKey(partition), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity ? entity.GetInt64("Sequence") ?? 0 : 0;
    }

    /// <summary>Moves the checkpoint forward only; an older value never overwrites a newer one.</summary>
    public async Task AdvanceAsync(int partition, long sequence, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, RowKey(partition), cancellationToken: cancellationToken);
            var entity = new TableEntity(Partition, RowKey(partition)) { ["Sequence"] = sequence, ["At"] = at };
            try
            {
                if (existing.HasValue && existing.Value is { } current)
                {
                    if ((current.GetInt64("Sequence") ?? 0) >= sequence)
                    {
                        return;
                    }

                    await _table.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await _table.AddEntityAsync(entity, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another writer moved it meanwhile; re-read and compare again.
            }
        }
    }

    private static string RowKey(int partition) => $"p{partition:D3}";
}
