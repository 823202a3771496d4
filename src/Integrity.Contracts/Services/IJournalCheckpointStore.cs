namespace Integrity.Contracts.Services;

/// <summary>Durable per-partition checkpoints: the highest sequence whose effects on grain state are written.</summary>
public interface IJournalCheckpointStore
{
    Task<long> ReadAsync(int partition, CancellationToken cancellationToken = default);

    /// <summary>Moves forward only.</summary>
    Task AdvanceAsync(int partition, long sequence, DateTimeOffset at, CancellationToken cancellationToken = default);
}
