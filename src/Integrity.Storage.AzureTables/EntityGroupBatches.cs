using Azure.Data.Tables;

namespace Integrity.Storage.AzureTables;

/// <summary>
/// Splits table actions into entity-group transactions: one partition each, at most 100 actions, and no row twice
/// (a transaction may not touch the same row twice; the last action on a row wins).
/// </summary>
public static class EntityGroupBatches
{
    /// <summary>The most actions one entity-group transaction takes.</summary>
    public const int MaxActions = 100;

    public static IEnumerable<TableTransactionAction[]> Of(IEnumerable<TableTransactionAction> actions) =>
        actions
            .GroupBy(a => a.Entity.PartitionKey)
            .SelectMany(g => g.GroupBy(a => a.Entity.RowKey).Select(r => r.Last()).Chunk(MaxActions));
}
