using Integrity.Contracts.Services;
using Integrity.Domain.Events;

namespace Integrity.Storage.AzureTables.Streaming;

/// <summary>What the journal stream provider needs of the durable journal: ordered reads per partition, and appends.</summary>
public interface IJournalSource : IJournalRows
{
    int PartitionCount { get; }

    /// <summary>Durably appends events (each to its partition); completes only once they are stored.</summary>
    Task AppendAsync(IReadOnlyList<IntegrityEvent> events, CancellationToken cancellationToken);
}
