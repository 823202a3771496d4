namespace Integrity.Contracts.Services;

/// <summary>
/// A watcher's own record of the append counts (<see cref="JournalWakeSignals.Appends"/>) it last acted on, per partition:
/// it reads a partition again only once an append to it was signalled since. One per watcher, used from one loop.
/// </summary>
public sealed class AppendWatermark(JournalWakeSignals signals)
{
    private readonly Dictionary<int, long> _seen = [];

    /// <summary>The partition's append count now: take it before reading, and <see cref="Mark"/> it after.</summary>
    public long Count(int partition) => signals.Appends(partition);

    /// <summary>Whether an append was signalled since <see cref="Mark"/> (true for a partition never or no longer marked).</summary>
    public bool Moved(int partition) => !_seen.TryGetValue(partition, out var seen) || seen != signals.Appends(partition);

    /// <summary>The watcher has read the partition as of <paramref name="count"/> appends.</summary>
    public void Mark(int partition, long count) => _seen[partition] = count;

    /// <summary>The partition is to be read again whatever is signalled (e.g. rows still wait in it).</summary>
    public void Forget(int partition) => _seen.Remove(partition);
}
