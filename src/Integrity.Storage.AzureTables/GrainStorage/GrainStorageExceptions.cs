namespace Integrity.Storage.AzureTables.GrainStorage;

/// <summary>Data does not fit in one Table row (15 × 64 KiB); nothing was written.</summary>
public sealed class GrainStateTooLargeException(string partitionKey, string rowKey, int size, int limit)
    : Exception($"Row '{rowKey}' of '{partitionKey}' would hold {size:N0} bytes; a Table row holds at most {limit:N0} bytes (15 × 64 KiB). Nothing was written; the stored row is unchanged.")
{
    public int Size { get; } = size;

    public int Limit { get; } = limit;
}

/// <summary>Table storage did not answer after the configured retries; the operation did not happen.</summary>
public sealed class TableStorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
