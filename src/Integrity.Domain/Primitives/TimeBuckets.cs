namespace Integrity.Domain.Primitives;

/// <summary>
/// One fixed-width slot of a <see cref="TimeBuckets"/> counter: a value, so a count that moves on every event replaces
/// a slot of the list in place instead of leaving an object behind for the collector (and cloned states share nothing).
/// </summary>
public readonly record struct TimeBucket(DateTimeOffset Start, double Count);

/// <summary>
/// A sliding-window counter keyed by event time: counts fall into fixed-width buckets, only non-empty buckets are
/// stored, and at most <see cref="MaxBuckets"/> are kept (the oldest go first). Because buckets are keyed by the
/// event's own time, a late event lands in the bucket where it belongs instead of inflating "now".
/// Window sums are rounded out to whole buckets.
/// </summary>
public sealed class TimeBuckets
{
    public TimeBuckets()
    {
    }

    public TimeBuckets(TimeSpan width, int maxBuckets)
    {
        if (width <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(width));
        if (maxBuckets <= 0) throw new ArgumentOutOfRangeException(nameof(maxBuckets));
        Width = width;
        MaxBuckets = maxBuckets;
    }

    public TimeSpan Width { get; set; } = TimeSpan.FromHours(1);

    public int MaxBuckets { get; set; } = 24 * 7;

    /// <summary>Non-empty buckets, sorted by start.</summary>
    public List<TimeBucket> Buckets { get; set; } = [];

    public DateTimeOffset? EarliestStart => Buckets.Count == 0 ? null : Buckets[0].Start;

    public double Total => Buckets.Sum(b => b.Count);

    public DateTimeOffset BucketStart(DateTimeOffset at)
    {
        var ticks = at.UtcTicks - (at.UtcTicks % Width.Ticks);
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    public void Add(DateTimeOffset at, double amount = 1)
    {
        var start = BucketStart(at);
        var i = FirstAtOrAfter(start);
        if (i == Buckets.Count) i = -1;
        if (i >= 0 && Buckets[i].Start == start)
        {
            Buckets[i] = Buckets[i] with { Count = Buckets[i].Count + amount };
        }
        else if (i >= 0)
        {
            Buckets.Insert(i, new TimeBucket(start, amount));
        }
        else
        {
            Buckets.Add(new TimeBucket(start, amount));
        }

        if (Buckets.Count > MaxBuckets) Buckets.RemoveRange(0, Buckets.Count - MaxBuckets);
    }

    /// <summary>Sum over the buckets that overlap [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public double Sum(DateTimeOffset from, DateTimeOffset to)
    {
        var first = BucketStart(from);
        double sum = 0;
        for (var i = FirstAtOrAfter(first); i < Buckets.Count && Buckets[i].Start <= to; i++) sum += Buckets[i].Count;
        return sum;
    }

    /// <summary>The index of the first bucket starting at or after <paramref name="start"/> (buckets are sorted by start).</summary>
    public int FirstAtOrAfter(DateTimeOffset start)
    {
        var (lo, hi) = (0, Buckets.Count);
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Buckets[mid].Start < start) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    /// <summary>The count in the <paramref name="window"/> ending at <paramref name="now"/>.</summary>
    public double InWindow(DateTimeOffset now, TimeSpan window) => Sum(now - window + Width, now);

    public TimeBuckets Clone() => new(Width, MaxBuckets) { Buckets = [.. Buckets] };
}
