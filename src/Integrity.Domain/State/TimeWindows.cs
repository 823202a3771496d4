namespace Integrity.Domain.State;

/// <summary>Something recorded at an event time: the items of an entity's time-ordered lists.</summary>
public interface ITimed
{
    DateTimeOffset At { get; }
}

/// <summary>
/// Windows over the time-ordered lists entity state keeps (<see cref="BoundedLists.InsertByTime{T}"/>): a binary search
/// finds where a window starts, so a signal visits only the items in its window, not the whole list.
/// </summary>
public static class TimeWindows
{
    /// <summary>The index of the first item at or after <paramref name="from"/> (the count when there is none).</summary>
    public static int FirstAtOrAfter<T>(List<T> items, DateTimeOffset from)
        where T : ITimed
    {
        ArgumentNullException.ThrowIfNull(items);
        var (lo, hi) = (0, items.Count);
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (items[mid].At < from) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    /// <summary>The items in (<paramref name="now"/> - <paramref name="window"/>, <paramref name="now"/>], as [Start, End) indexes.</summary>
    public static (int Start, int End) Range<T>(List<T> items, DateTimeOffset now, TimeSpan window)
        where T : ITimed
    {
        var start = FirstAfter(items, now - window);
        var end = start;
        while (end < items.Count && items[end].At <= now) end++;
        return (start, end);
    }

    /// <summary>The items[start..end), for evidence (only enumerated when a signal trips).</summary>
    public static IEnumerable<T> Slice<T>(List<T> items, int start, int end)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = start; i < end; i++) yield return items[i];
    }

    /// <summary>The index of the first item after <paramref name="from"/>: windows are (now - window, now].</summary>
    public static int FirstAfter<T>(List<T> items, DateTimeOffset from)
        where T : ITimed
    {
        ArgumentNullException.ThrowIfNull(items);
        var (lo, hi) = (0, items.Count);
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (items[mid].At <= from) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }
}
