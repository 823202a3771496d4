namespace Integrity.Storage.AzureTables.GrainStorage;

/// <summary>
/// Which table holds a grain's state row when a provider spreads its rows over several tables. Each row keeps the
/// layout of Orleans' AzureTableGrainStorage; only the table differs, chosen by a stable hash of the row's
/// PartitionKey. With one table (the default) it is <see cref="TableGrainStorageOptions.TableName"/> itself.
/// </summary>
/// <remarks>
/// Why: Azurite finds the row to replace by scanning every row with the same RowKey, and in this layout the RowKey is
/// the state name, shared by every grain of a kind, so each write costs in proportion to how many such grains the
/// table holds. Real Table storage does not care. The count is fixed for a deployment: changing it moves rows to
/// other tables, where the provider would not find them.
/// </remarks>
public sealed class GrainStateTables
{
    public const int MaxCount = 64;

    public GrainStateTables(string tableName, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        Names = count == 1 ? [tableName] : [.. Enumerable.Range(0, count).Select(i => $"{tableName}{i:D2}")];
    }

    /// <summary>Every table, in shard order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The shard holding the row with this PartitionKey (FNV-1a over its characters: stable across processes).</summary>
    public int IndexOf(string partitionKey)
    {
        if (Names.Count == 1)
        {
            return 0;
        }

        var hash = 2166136261u;
        foreach (var c in partitionKey)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)Names.Count);
    }

    public string For(string partitionKey) => Names[IndexOf(partitionKey)];
}
