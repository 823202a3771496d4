using System.Globalization;

namespace Integrity.Storage.AzureTables.Journal;

/// <summary>
/// Storage did not answer (after the configured retries) while appending. Events of the partitions listed in
/// <see cref="StoredPartitions"/> were stored durably and will be applied; the others were not stored.
/// Appending the same events again is safe: entities apply each event id once.
/// </summary>
public sealed class JournalUnavailableException(string message, int storedEvents, IReadOnlyList<int> storedPartitions, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>How many of the events given to the failed append are nevertheless durable.</summary>
    public int StoredEvents { get; } = storedEvents;

    public IReadOnlyList<int> StoredPartitions { get; } = storedPartitions;
}

/// <summary>More events are waiting to be written than the configured bound; nothing of this append was stored.</summary>
public sealed class JournalOverloadedException(long pendingEvents, long maxPendingEvents)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"The journal has {pendingEvents:N0} events waiting to be written (bound {maxPendingEvents:N0}); nothing was stored."))
{
    public long PendingEvents { get; } = pendingEvents;

    public long MaxPendingEvents { get; } = maxPendingEvents;
}
