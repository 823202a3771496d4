namespace Integrity.Contracts.Services;

/// <summary>
/// Decides when a partition's reader asks storage for rows. It reads on every tick of the pulling agent until
/// <see cref="EmptyReadsBeforeIdle"/> reads in a row found nothing; it is then idle, and reads only once per idle poll
/// interval, so an idle engine costs storage a few requests a minute. An append signalled through <see cref="Wake"/>
/// makes the next read happen at once, and the reader is active again. While idle, the reader waits in
/// <see cref="WaitAsync"/> rather than being asked on every tick, so a resting partition costs the process no work either.
/// </summary>
public sealed class JournalReadPacer(TimeProvider time, TimeSpan idlePollInterval)
{
    /// <summary>Empty reads in a row after which a reader rests.</summary>
    public const int EmptyReadsBeforeIdle = 5;

    private int _woken;
    private int _released;
    private int _emptyReads;
    private long _nextReadAt;
    private TaskCompletionSource? _waiter;

    /// <summary>True while the reader rests: it reads once per idle poll interval unless woken.</summary>
    public bool Idle => Volatile.Read(ref _emptyReads) >= EmptyReadsBeforeIdle;

    /// <summary>An append reached this partition: the next read comes at once (a waiting reader stops waiting).</summary>
    public void Wake()
    {
        Volatile.Write(ref _woken, 1);
        Interlocked.Exchange(ref _waiter, null)?.TrySetResult();
    }

    /// <summary>
    /// The reader stops: a wait under way ends now and none starts again. Nothing is read for it: Orleans' pulling agent
    /// awaits its reader's read under way before it stops, and a stopping silo should not wait for a resting one.
    /// </summary>
    public void Release()
    {
        Volatile.Write(ref _released, 1);
        Interlocked.Exchange(ref _waiter, null)?.TrySetResult();
    }

    /// <summary>Whether this tick reads storage. Consumes a wake.</summary>
    public bool ShouldRead() =>
        Interlocked.Exchange(ref _woken, 0) == 1 || !Idle || time.GetTimestamp() >= Volatile.Read(ref _nextReadAt);

    /// <summary>After a read: rows keep the reader active; enough empty reads in a row make it rest.</summary>
    public void Read(bool foundRows)
    {
        var empty = foundRows ? 0 : Math.Min(_emptyReads + 1, EmptyReadsBeforeIdle);
        Volatile.Write(ref _nextReadAt, time.GetTimestamp() + (long)(idlePollInterval.TotalSeconds * time.TimestampFrequency));
        Volatile.Write(ref _emptyReads, empty);
    }

    /// <summary>
    /// While the reader rests, waits until it is woken or its idle read is due, but no longer than
    /// <paramref name="most"/>; returns at once when it is active, woken, due or released. One reader waits at a time.
    /// </summary>
    public async Task WaitAsync(TimeSpan most)
    {
        var due = Volatile.Read(ref _nextReadAt) - time.GetTimestamp();
        if (!Idle || Volatile.Read(ref _woken) == 1 || Volatile.Read(ref _released) == 1 || due <= 0 || most <= TimeSpan.Zero)
        {
            return;
        }

        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _waiter, waiter);
        try
        {
            // A wake (or release) between the check above and the waiter's publication did not see the waiter.
            if (Volatile.Read(ref _woken) == 1 || Volatile.Read(ref _released) == 1)
            {
                return;
            }

            var wait = TimeSpan.FromSeconds((double)due / time.TimestampFrequency);
            using var timeout = new CancellationTokenSource(wait < most ? wait : most, time);
            using var registration = timeout.Token.Register(static w => ((TaskCompletionSource)w!).TrySetResult(), waiter);
            await waiter.Task.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.CompareExchange(ref _waiter, null, waiter);
        }
    }
}
