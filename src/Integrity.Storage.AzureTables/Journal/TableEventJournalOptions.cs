using Azure.Data.Tables;
using Integrity.Storage.AzureTables.GrainStorage;

namespace Integrity.Storage.AzureTables.Journal;

/// <summary>Options of the Table-storage event journal (and of the dead-letter table written beside it).</summary>
public sealed class TableEventJournalOptions
{
    public const string DefaultTableName = "Journal";
    public const string DefaultDeadLetterTableName = "DeadLetters";

    /// <summary>Azure Storage connection string (Azurite or a real account). Required.</summary>
    public string? ConnectionString { get; set; }

    public string TableName { get; set; } = DefaultTableName;

    /// <summary>Table of rejected lines and poison events.</summary>
    public string DeadLetterTableName { get; set; } = DefaultDeadLetterTableName;

    /// <summary>Number of partitions. Changing it moves sellers to other partitions: only change it on an empty journal.</summary>
    public int PartitionCount { get; set; } = 8;

    /// <summary>Most events in one journal row (one stream item for the consumer).</summary>
    public int MaxEventsPerRow { get; set; } = 5000;

    /// <summary>Largest compressed row; a row holds at most 15 × 64 KiB.</summary>
    public int MaxRowBytes { get; set; } = 900 * 1024;

    /// <summary>Most events one group commit takes from a partition's queue (several rows, one or more transactions).</summary>
    public int MaxEventsPerCommit { get; set; } = 20_000;

    /// <summary>
    /// Backpressure: when more events than this wait to be written, appends are refused
    /// (<see cref="JournalOverloadedException"/>) instead of queueing without bound.
    /// </summary>
    public long MaxPendingEvents { get; set; } = 200_000;

    /// <summary>How often an append re-reads the head and tries again when another writer took the sequence number first.</summary>
    public int MaxConflictRetries { get; set; } = 200;

    /// <summary>Attempts after the first for transient failures (timeouts, 5xx, refused connections).</summary>
    public int MaxRetries { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Per-request network timeout.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return "ConnectionString is required";
        }

        foreach (var (name, value) in new[] { (nameof(TableName), TableName), (nameof(DeadLetterTableName), DeadLetterTableName) })
        {
            if (!TableNameRules.IsValid(value))
            {
                yield return $"{name} '{value}' must be 3-63 letters or digits and start with a letter";
            }
        }

        if (PartitionCount is < 1 or > 999)
        {
            yield return $"PartitionCount must be 1..999, got {PartitionCount}";
        }

        if (MaxEventsPerRow is < 1 or > 100_000)
        {
            yield return $"MaxEventsPerRow must be 1..100000, got {MaxEventsPerRow}";
        }

        if (MaxRowBytes < 64 * 1024 || MaxRowBytes > GrainStateRow.MaxStateBytes)
        {
            yield return $"MaxRowBytes must be between 64 KiB and {GrainStateRow.MaxStateBytes} bytes, got {MaxRowBytes}";
        }

        if (MaxEventsPerCommit < MaxEventsPerRow)
        {
            yield return $"MaxEventsPerCommit ({MaxEventsPerCommit}) must be at least MaxEventsPerRow ({MaxEventsPerRow})";
        }

        if (MaxPendingEvents < 1)
        {
            yield return $"MaxPendingEvents must be positive, got {MaxPendingEvents}";
        }

        if (MaxConflictRetries < 1)
        {
            yield return $"MaxConflictRetries must be positive, got {MaxConflictRetries}";
        }

        if (MaxRetries is < 0 or > 10)
        {
            yield return $"MaxRetries must be between 0 and 10, got {MaxRetries}";
        }

        if (RetryDelay <= TimeSpan.Zero || MaxRetryDelay < RetryDelay)
        {
            yield return "RetryDelay must be positive and not above MaxRetryDelay";
        }

        if (NetworkTimeout <= TimeSpan.Zero)
        {
            yield return "NetworkTimeout must be positive";
        }
    }

    /// <summary>A service client with bounded retries, so an outage surfaces in seconds, not minutes.</summary>
    public TableServiceClient CreateServiceClient() =>
        TableServiceClients.Create(ConnectionString!, MaxRetries, RetryDelay, MaxRetryDelay, NetworkTimeout);
}
