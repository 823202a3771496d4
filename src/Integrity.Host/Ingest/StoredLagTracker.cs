namespace Integrity.Host.Ingest;

/// <summary>
/// How far the durably stored grain state is behind what this host acknowledged, and whether events accepted now would
/// be stored within the bound. <see cref="Lag"/> is the age of the oldest journal row it appended that no partition
/// checkpoint covers yet (a checkpoint moves only after the grain states of its rows are written). <see cref="Cycle"/>
/// is how long a checkpoint takes to come round: at each advance of a partition's checkpoint, how long the oldest row
/// it covered waited, counted at most from the previous advance (an exponentially weighted mean, so it follows the
/// load both ways). A checkpoint writes every grain its rows
/// touched, so its cost follows the distinct entities, not the events; this measures it instead of modelling it.
/// A row waiting now is stored by about the next advance, so ingest refuses (<see cref="Refuse"/>) while the oldest
/// waiting row's age plus a cycle is past <see cref="IngestOptions.MaxStoredLagSeconds"/>.
/// Rows other silos acknowledged count too: the monitor reports each partition's oldest row past its checkpoint
/// (<see cref="Waiting"/>), whoever appended it, so every silo of a cluster gates on the same stored lag.
/// It measures only once <see cref="Watch"/> was called (by the <see cref="StoredLagMonitor"/>, when this process can
/// read the checkpoints); before that nothing is pending. Thread-safe.
/// </summary>
public sealed class StoredLagTracker(int partitions)
{
    /// <summary>Weight of the newest cycle in the running estimate (an exponentially weighted mean).</summary>
    public const double CycleWeight = 0.5;

    private readonly Queue<(long Sequence, DateTimeOffset At, int Events)>[] _pending = [.. Enumerable.Range(0, partitions).Select(_ => new Queue<(long, DateTimeOffset, int)>())];
    private readonly long[] _checkpoints = new long[partitions];
    private readonly DateTimeOffset?[] _advancedAt = new DateTimeOffset?[partitions];
    private readonly (long Sequence, DateTimeOffset At)?[] _waiting = new (long, DateTimeOffset)?[partitions];
    private readonly Lock _gate = new();
    private long _pendingEvents;
    private double? _cycleSeconds;

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
            }
        }
    }

    /// <summary>
    /// Row <paramref name="sequence"/> of <paramref name="partition"/>, the first one past its checkpoint as the journal
    /// was last read, was acknowledged at <paramref name="at"/> (by this silo or another). It counts until a checkpoint
    /// covers it; a later report replaces it.
    /// </summary>
    public void Waiting(int partition, long sequence, DateTimeOffset at)
    {
        if (!_watching)
        {
            return;
        }

        lock (_gate)
        {
            _waiting[partition] = sequence > _checkpoints[partition] ? (sequence, at) : null;
        }
    }

    /// <summary>The durable checkpoint of <paramref name="partition"/> was read at <paramref name="sequence"/> at <paramref name="now"/>.</summary>
    public void Checkpointed(int partition, long sequence, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (sequence <= _checkpoints[partition])
            {
                return;
            }

            _checkpoints[partition] = sequence;
            if (_waiting[partition] is { } waiting && waiting.Sequence <= sequence)
            {
                _waiting[partition] = null;
            }

            DateTimeOffset? oldestCovered = null;
            var queue = _pending[partition];
            while (queue.TryPeek(out var row) && row.Sequence <= sequence)
            {
                oldestCovered ??= row.At;
                queue.Dequeue();
                _pendingEvents -= row.Events;
            }

            // The oldest covered row's wait, counted from the previous advance if it was already waiting then: a full
            // cycle under load, its own shorter wait under light traffic, never an idle spell before it arrived. The
            // first advance of a partition is not counted: it also carries the start (activations, first inserts).
            if (_advancedAt[partition] is { } previous && oldestCovered is { } oldest)
            {
                var cycle = (now - (oldest > previous ? oldest : previous)).TotalSeconds;
                _cycleSeconds = _cycleSeconds is { } c ? c + (CycleWeight * (cycle - c)) : cycle;
            }

            _advancedAt[partition] = now;
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

    /// <summary>How long a checkpoint takes to come round while rows wait; null until one was seen.</summary>
    public TimeSpan? Cycle
    {
        get
        {
            lock (_gate)
            {
                return _cycleSeconds is { } c ? TimeSpan.FromSeconds(c) : null;
            }
        }
    }

    /// <summary>Age, at <paramref name="now"/>, of the oldest acknowledged row no checkpoint covers; zero when all are covered.</summary>
    public TimeSpan Lag(DateTimeOffset now)
    {
        lock (_gate)
        {
            return now - Oldest(now);
        }
    }

    /// <summary>
    /// Null while ingest may accept; otherwise why not. Refused while rows wait and the oldest one's age plus a
    /// <see cref="Cycle"/> is past <paramref name="boundSeconds"/> (past the bound itself while no cycle is known). With
    /// nothing waiting it always accepts, so a cycle longer than the bound admits one batch per cycle rather than none.
    /// </summary>
    public LagRefusal? Refuse(DateTimeOffset now, double boundSeconds)
    {
        lock (_gate)
        {
            var lag = now - Oldest(now);
            var cycle = _cycleSeconds ?? 0;
            return lag <= TimeSpan.Zero || lag.TotalSeconds + cycle <= boundSeconds ? null : new LagRefusal(lag, TimeSpan.FromSeconds(cycle));
        }
    }

    /// <summary>When the oldest acknowledged row no checkpoint covers was acknowledged; <paramref name="now"/> when none waits.</summary>
    private DateTimeOffset Oldest(DateTimeOffset now)
    {
        var oldest = now;
        foreach (var queue in _pending)
        {
            if (queue.TryPeek(out var row) && row.At < oldest)
            {
                oldest = row.At;
            }
        }

        foreach (var waiting in _waiting)
        {
            if (waiting is { } row && row.At < oldest)
            {
                oldest = row.At;
            }
        }

        return oldest;
    }
}

/// <summary>Why ingest refuses: stored state is <paramref name="Lag"/> behind and a checkpoint takes about <paramref name="Cycle"/>.</summary>
public sealed record LagRefusal(TimeSpan Lag, TimeSpan Cycle);
