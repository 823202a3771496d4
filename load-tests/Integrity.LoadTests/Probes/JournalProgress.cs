using System.Globalization;
using Azure.Data.Tables;
using Integrity.Storage.AzureTables.Journal;
using Integrity.Storage.AzureTables.Streaming;

namespace Integrity.LoadTests.Probes;

/// <summary>
/// How far the engine has applied its journal, read passively from its storage (a few rows, no grain involved): per
/// partition, the journal head (last row written) and the consumer's durable checkpoint (last row applied and stored).
/// </summary>
public sealed class JournalProgress(string connectionString, string journalTable = "Journal", string checkpointTable = "JournalCheckpoints")
{
    private readonly TableServiceClient _service = new(connectionString);

    /// <returns>Settled when every partition's checkpoint has reached its head; Lag the journal rows not yet applied.</returns>
    public async Task<(bool Settled, long Lag)> ReadAsync(CancellationToken cancellationToken)
    {
        var checkpoints = new JournalCheckpoints(_service, checkpointTable);
        var lag = 0L;
        var partitions = 0;
        await foreach (var row in _service.GetTableClient(journalTable).QueryAsync<TableEntity>(
            $"RowKey eq '{JournalRowLayout.HeadRowKey}'", select: ["PartitionKey", JournalRowLayout.NextProperty], cancellationToken: cancellationToken))
        {
            var partition = int.Parse(row.PartitionKey.AsSpan(1), NumberStyles.Integer, CultureInfo.InvariantCulture);
            var head = (row.GetInt64(JournalRowLayout.NextProperty) ?? 1) - 1;
            lag += Math.Max(0, head - await checkpoints.ReadAsync(partition, cancellationToken));
            partitions++;
        }

        return (partitions > 0 && lag == 0, lag);
    }
}
