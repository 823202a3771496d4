using System.Collections.Concurrent;

namespace Integrity.Contracts.Services;

/// <summary>
/// One per silo: the journal tells it which partitions it has just appended to, and it wakes this silo's reader of
/// each (<see cref="JournalReadPacer"/>). <see cref="Appended"/> also tells <see cref="Forward"/>, so a cluster can wake
/// the reader wherever the partition is read; <see cref="AppendedElsewhere"/> is what such a message calls on arrival.
/// Each partition's appends are counted (<see cref="Appends"/>), here and as told by other silos, so a watcher of the
/// journal can leave a partition alone while nothing was appended to it.
/// </summary>
public sealed class JournalWakeSignals
{
    /// <summary>Partitions counted (the journal has at most 999).</summary>
    private const int MaxPartitions = 1024;

    private readonly ConcurrentDictionary<int, JournalReadPacer> _readers = new();
    private readonly long[] _appends = new long[MaxPartitions];
    private volatile bool _stopping;

    /// <summary>Called after every append with its partition (on the appending thread: keep it cheap).</summary>
    public event Action<int>? Forward;

    public void Register(int partition, JournalReadPacer reader)
    {
        _readers[partition] = reader;
        if (_stopping)
        {
            reader.Release();
        }
    }

    public void Unregister(int partition, JournalReadPacer reader) =>
        _readers.TryRemove(new KeyValuePair<int, JournalReadPacer>(partition, reader));

    /// <summary>The silo stops: every reader's wait ends now and none starts again (<see cref="JournalReadPacer.Release"/>).</summary>
    public void Stop()
    {
        _stopping = true;
        foreach (var reader in _readers.Values)
        {
            reader.Release();
        }
    }

    /// <summary>The partitions this silo reads now whose readers rest (<see cref="JournalReadPacer.Idle"/>).</summary>
    public IReadOnlyList<int> IdleReaders() => [.. _readers.Where(r => r.Value.Idle).Select(r => r.Key).Order()];

    /// <summary>Whether this silo reads the partition now (its reader's idle poll then finds rows whose wake was lost).</summary>
    public bool ReadHere(int partition) => _readers.ContainsKey(partition);

    /// <summary>How many appends to the partition this silo has done or been told of (only its changes mean anything).</summary>
    public long Appends(int partition) => Volatile.Read(ref _appends[partition]);

    /// <summary>This silo appended rows to the partition: wake its reader here, and tell <see cref="Forward"/>.</summary>
    public void Appended(int partition)
    {
        AppendedElsewhere(partition);
        Forward?.Invoke(partition);
    }

    /// <summary>
    /// This silo's reader of the partition found rows, which no wake may have announced (a lost wake, a row another
    /// process appended): counted as an append, so watchers of the journal look at the partition again.
    /// </summary>
    public void Found(int partition) => Interlocked.Increment(ref _appends[partition]);

    /// <summary>Rows were appended to the partition (another silo says so): wake this silo's reader of it, if it has one.</summary>
    public void AppendedElsewhere(int partition)
    {
        Interlocked.Increment(ref _appends[partition]);
        if (_readers.TryGetValue(partition, out var reader))
        {
            reader.Wake();
        }
    }
}
