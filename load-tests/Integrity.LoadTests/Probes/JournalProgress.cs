using Azure.Data.Tables;
using Integrity.Storage.AzureTables.Journal;
using Integrity.Storage.AzureTables.Streaming;

namespace Integrity.LoadTests.Probes;

/// <summary>
/// How far the engine has applied its journal, read passively from its storage (a few rows, no grain involved): per
/// partition (the host's default 8), the journal head (last row written) and the consumer's durable checkpoint (last row applied and stored).
/// </summary>
public sealed class JournalProgress(string connectionString, int partitionCount = 8, string journalTable = "Journal", string checkpointTable = "JournalCheckpoints")
{
    private readonly TableServiceClient _service = new(connectionString);

    /// <returns>Settled when every partition's checkpoint has reached its head; Lag the journal rows not yet applied.</returns>
    public async Task<(bool Settled, long Lag)> ReadAsync(CancellationToken cancellationToken)
    {
        // Point reads only: a filter on RowKey alone would make the storage scan every journal row, and the engine waits on that storage.
        var journal = _service.GetTableClient(journalTable);
        var checkpoints = new JournalCheckpoints(_service, checkpointTable);
        var lag = 0L;
        var partitions = 0;
        for (var p = 0; p < partitionCount; p++)
        {
            var row = await journal.GetEntityIfExistsAsync<TableEntity>(JournalPartitioner.PartitionKey(p), JournalRowLayout.HeadRowKey,
                select: [JournalRowLayout.NextProperty], cancellationToken: cancellationToken);
            if (!row.HasValue || row.Value is not { } head) continue;
            lag += Math.Max(0, ((head.GetInt64(JournalRowLayout.NextProperty) ?? 1) - 1) - await checkpoints.ReadAsync(p, cancellationToken));
            partitions++;
        }

        return (partitions > 0 && lag == 0, lag);
    }
}
