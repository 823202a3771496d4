namespace Integrity.Domain.State;

/// <summary>Helpers for the time-ordered, size-bounded lists entity state keeps.</summary>
internal static class BoundedLists
{
    /// <summary>Inserts in time order (late events land where they belong) and drops the oldest beyond <paramref name="max"/>.</summary>
    /// <param name="dropped">Hears of each item dropped for the bound (it may be <paramref name="item"/> itself).</param>
    public static void InsertByTime<T>(List<T> list, T item, Func<T, DateTimeOffset> at, int max, Action<T>? dropped = null)
    {
        var t = at(item);
        var i = list.Count;
        while (i > 0 && at(list[i - 1]) > t) i--;
        list.Insert(i, item);
        if (list.Count <= max) return;
        if (dropped is not null)
        {
            for (var k = 0; k < list.Count - max; k++) dropped(list[k]);
        }

        list.RemoveRange(0, list.Count - max);
    }

    public static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;
}
