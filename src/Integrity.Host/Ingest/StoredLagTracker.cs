namespace Integrity.Host.Ingest;

/// <summary>
/// How far the durably stored grain state is behind what this host acknowledged, and how far it would be behind for
/// events accepted now. <see cref="Lag"/> is the age of the oldest journal row it appended that no partition checkpoint
/// covers yet (a checkpoint moves only after the grain states of its rows are written). <see cref="ExpectedDelay"/> is
/// the time the engine needs, at the rate it has been storing, to store everything still pending: rows accepted before
/// the lag crosses the bound are stored only that much later, so refusing on the lag alone overshoots the bound by the
/// whole backlog. Ingest refuses while either is past <see cref="IngestOptions.MaxStoredLagSeconds"/>.
/// It measures only once <see cref="Watch"/> was called (by the <see cref="StoredLagMonitor"/>, when this process can
/// read the checkpoints); before that both are zero. Thread-safe.
/// </summary>
public sealed class StoredLagTracker(int partitions)
{
    /// <summary>Samples (one per checkpoint poll) over which the storing rate is averaged.</summary>
    public const int RateSamples = 40;

    private readonly Queue<(long Sequence, DateTimeOffset At, int Events)>[] _pending = [.. Enumerable.Range(0, partitions).Select(_ => new Queue<(long, DateTimeOffset, int)>())];
    private readonly long[] _checkpoints = new long[partitions];
    private readonly Queue<(TimeSpan Busy, long Stored)> _samples = new();
    private readonly Lock _gate = new();
    private long _pendingEvents;
    private long _storedSinceSample;
    private DateTimeOffset? _lastSample;
    private bool _busySinceSample;

    private volatile bool _watching;

    public int Partitions => _checkpoints.Length;

    /// <summary>
    /// The instant to measure with: monotonic (the provider's timestamp), so a wall-clock step on the machine neither
    /// closes ingest nor hides a lag.
    /// </summary>
    public static DateTimeOffset Now(TimeProvider time) => DateTimeOffset.UnixEpoch + time.GetElapsedTime(0);

    /// <summary>Starts measuring: checkpoints will be reported from now on.</summary>
    public void Watch() => _watching = true;

    /// <summary>Rows up to <paramref name="lastSequence"/> of <paramref name="partition"/>, holding <paramref name="events"/> events, were acknowledged at <paramref name="at"/>.</summary>
    public void Appended(int partition, long lastSequence, DateTimeOffset at, int events = 0)
    {
        if (!_watching)
        {
            return;
        }

        lock (_gate)
        {
            if (lastSequence > _checkpoints[partition])
            {
                _pending[partition].Enqueue((lastSequence, at, events));
                _pendingEvents += events;
                _busySinceSample = true;
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
                _pendingEvents -= row.Events;
                _storedSinceSample += row.Events;
            }
        }
    }

    /// <summary>
    /// Closes a rate sample (the monitor calls it after each poll): events stored since the last one, over the time
    /// anything was pending. Idle time does not count, or a quiet spell would make the engine look slow.
    /// </summary>
    public void Sample(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_lastSample is { } last && (_busySinceSample || _pendingEvents > 0))
            {
                _samples.Enqueue((now - last, _storedSinceSample));
                if (_samples.Count > RateSamples)
                {
                    _samples.Dequeue();
                }
            }

            _lastSample = now;
            _storedSinceSample = 0;
            _busySinceSample = _pendingEvents > 0;
        }
    }

    /// <summary>Events acknowledged by this host and not yet covered by a checkpoint.</summary>
    public long PendingEvents
    {
        get
        {
            lock (_gate)
            {
                return _pendingEvents;
            }
        }
    }

    /// <summary>Events stored per second while there was work, over the recent samples; null until something was stored.</summary>
    public double? StoringRate
    {
        get
        {
            lock (_gate)
            {
                var busy = _samples.Sum(s => s.Busy.TotalSeconds);
                var stored = _samples.Sum(s => s.Stored);
                return stored > 0 && busy > 0 ? stored / busy : null;
            }
        }
    }

    /// <summary>Time to store everything pending at <see cref="StoringRate"/>; zero while the rate is unknown.</summary>
    public TimeSpan ExpectedDelay =>
        StoringRate is { } rate && PendingEvents is var pending and > 0 ? TimeSpan.FromSeconds(pending / rate) : TimeSpan.Zero;

    /// <summary>
    /// Seconds an "Engine behind" refusal asks the sender to wait (Retry-After): about when the gate reopens. It stays
    /// closed while storing what is pending would take past the bound, i.e. for <paramref name="expected"/> minus the
    /// bound; a gate closed by the lag alone reopens with the next checkpoint. So: that, rounded up, at least 1 and at
    /// most <paramref name="max"/> (the outage wait). A sender told to sleep the full outage wait leaves the engine idle.
    /// </summary>
    public static int RetryAfterSeconds(TimeSpan expected, double boundSeconds, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return (int)Math.Clamp(Math.Ceiling(expected.TotalSeconds - boundSeconds), 1, max);
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
