namespace Integrity.Contracts.Services;

/// <summary>
/// Decides when a partition's reader asks storage for rows. It reads on every tick of the pulling agent until
/// <see cref="EmptyReadsBeforeIdle"/> reads in a row found nothing; it is then idle, and reads only once per idle poll
/// interval, so an idle engine costs storage a few requests a minute. An append signalled through <see cref="Wake"/>
/// makes the next tick read, and the reader is active again.
/// </summary>
public sealed class JournalReadPacer(TimeProvider time, TimeSpan idlePollInterval)
{
    /// <summary>Empty reads in a row after which a reader rests.</summary>
    public const int EmptyReadsBeforeIdle = 5;

    private int _woken;
    private int _emptyReads;
    private long _nextReadAt;

    /// <summary>True while the reader rests: it reads once per idle poll interval unless woken.</summary>
    public bool Idle => Volatile.Read(ref _emptyReads) >= EmptyReadsBeforeIdle;

    /// <summary>An append reached this partition: the next tick reads.</summary>
    public void Wake() => Volatile.Write(ref _woken, 1);

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
}
