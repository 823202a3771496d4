namespace Integrity.Host.Ingest;

/// <summary>
/// How far the durably stored grain state is behind what this host acknowledged: the age of the oldest journal row it
/// appended that no partition checkpoint covers yet (a checkpoint moves only after the grain states of its rows are
/// written). Ingest refuses new events while this is past <see cref="IngestOptions.MaxStoredLagSeconds"/>, which is
/// what bounds staleness when the engine cannot keep up. It measures only once <see cref="Watch"/> was called (by the
/// <see cref="StoredLagMonitor"/>, when this process can read the checkpoints); before that the lag is zero. Thread-safe.
/// </summary>
public sealed class StoredLagTracker(int partitions)
{
    private readonly Queue<(long Sequence, DateTimeOffset At)>[] _pending = [.. Enumerable.Range(0, partitions).Select(_ => new Queue<(long, DateTimeOffset)>())];
    private readonly long[] _checkpoints = new long[partitions];
    private readonly Lock _gate = new();

    private volatile bool _watching;

    public int Partitions => _checkpoints.Length;

    /// <summary>Starts measuring: checkpoints will be reported from now on.</summary>
    public void Watch() => _watching = true;

    /// <summary>Rows up to <paramref name="lastSequence"/> of <paramref name="partition"/> were acknowledged at <paramref name="at"/>.</summary>
    public void Appended(int partition, long lastSequence, DateTimeOffset at)
    {
        if (!_watching)
        {
            return;
        }

        lock (_gate)
        {
            if (lastSequence > _checkpoints[partition])
            {
                _pending[partition].Enqueue((lastSequence, at));
            }
        }
    }

    /// <summary>The durable checkpoint of <paramref name="partition"/> is at <paramref name="sequence"/>.</summary>
    public void Checkpointed(int partition, long sequence)
    {
        lock (_gate)
        {
            _checkpoints[partition] = Math.Max(_checkpoints[partition], sequence);
            var queue = _pending[partition];
            while (queue.TryPeek(out var row) && row.Sequence <= _checkpoints[partition])
            {
                queue.Dequeue();
            }
        }
    }

    /// <summary>Age, at <paramref name="now"/>, of the oldest acknowledged row no checkpoint covers; zero when all are covered.</summary>
    public TimeSpan Lag(DateTimeOffset now)
    {
        lock (_gate)
        {
            var oldest = now;
            foreach (var queue in _pending)
            {
                if (queue.TryPeek(out var row) && row.At < oldest)
                {
                    oldest = row.At;
                }
            }

            return now - oldest;
        }
    }
}
