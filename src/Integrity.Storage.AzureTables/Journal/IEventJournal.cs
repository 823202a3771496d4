using Integrity.Domain.Events;

namespace Integrity.Storage.AzureTables.Journal;

/// <summary>
/// The durable, partitioned event journal: what ingest appends before it answers 202, and what the partition
/// consumers read in sequence order. Sequence numbers start at 1 and are gap-free per partition.
/// </summary>
public interface IEventJournal
{
    /// <summary>Number of partitions; an event's partition is <see cref="JournalPartitioner.PartitionOf(IntegrityEvent, int)"/>.</summary>
    int PartitionCount { get; }

    /// <summary>
    /// Stores every event in its partition and completes only when all of them are durable.
    /// Throws <see cref="JournalUnavailableException"/> when storage does not answer (events of partitions that were
    /// written stay durable: see <see cref="JournalUnavailableException.StoredEvents"/>), and
    /// <see cref="JournalOverloadedException"/>, before storing anything, when too many events are already waiting.
    /// </summary>
    Task<JournalAppendResult> AppendAsync(IReadOnlyList<IntegrityEvent> events, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="maxRows"/> rows of a partition with a sequence number above <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<JournalRow>> ReadAsync(int partition, long afterSequence, int maxRows, CancellationToken cancellationToken);

    /// <summary>The highest sequence number stored in a partition (0 while it is empty).</summary>
    Task<long> HeadAsync(int partition, CancellationToken cancellationToken = default);

    /// <summary>
    /// The first row of a partition above <paramref name="afterSequence"/> (its number and when it was appended, by
    /// whichever process), without its events; null when there is none. One small read.
    /// </summary>
    Task<JournalRowStamp?> FirstAfterAsync(int partition, long afterSequence, CancellationToken cancellationToken = default);
}

/// <summary>A journal row's number and the time (the appending process's clock) it was stored.</summary>
public sealed record JournalRowStamp(long Sequence, DateTimeOffset AppendedAt);

/// <summary>One stored journal row: several events written in one group commit, in append order.</summary>
public sealed record JournalRow(int Partition, long Sequence, IReadOnlyList<IntegrityEvent> Events, DateTimeOffset AppendedAt);

/// <summary>Where one append went in one partition: the rows (inclusive sequence range) holding its events.</summary>
public sealed record JournalAppendedRange(int Partition, long FirstSequence, long LastSequence, int Events);

/// <summary>The outcome of a successful append: every event is durable.</summary>
public sealed record JournalAppendResult(int Events, IReadOnlyList<JournalAppendedRange> Ranges)
{
    public static JournalAppendResult Empty { get; } = new(0, []);
}
