using Integrity.Contracts;
using Integrity.Domain.Events;

namespace Integrity.Storage.AzureTables.Streaming;

/// <summary>What the journal stream provider needs of the durable journal: ordered reads per partition, and appends.</summary>
public interface IJournalSource
{
    int PartitionCount { get; }

    /// <summary>Rows of one partition with sequence numbers greater than <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<JournalSlice>> ReadAsync(int partition, long afterSequence, int maxRows, CancellationToken cancellationToken);

    /// <summary>Durably appends events (each to its partition); completes only once they are stored.</summary>
    Task AppendAsync(IReadOnlyList<IntegrityEvent> events, CancellationToken cancellationToken);
}
