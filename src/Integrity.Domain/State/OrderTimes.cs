namespace Integrity.Domain.State;

/// <summary>
/// Running counts over a seller's orders, kept as they are recorded (not stored: rebuilt from
/// <see cref="SellerState.Orders"/> when a state is read or its list replaced): the orders' times, the times of those
/// that can be suspect (refunded, cancelled or self-linked), and of the self-linked ones, each sorted. A windowed count is then two binary
/// searches, instead of a walk over up to <see cref="SellerState.MaxOrders"/> orders on every seller event. Exact
/// whatever order the list is in (a refund that came before its order, then moved by it, leaves the list unsorted).
/// Also each order's record by id, so an order's later events find it without comparing every order id in the list.
/// </summary>
internal sealed class OrderTimes
{
    private readonly List<long> _all;
    private readonly List<long> _suspectable;
    private readonly List<long> _selfLinked;
    private readonly Dictionary<string, SellerOrder> _byId;

    private OrderTimes(List<long> all, List<long> suspectable, List<long> selfLinked, Dictionary<string, SellerOrder> byId) =>
        (_all, _suspectable, _selfLinked, _byId) = (all, suspectable, selfLinked, byId);

    /// <summary>How many orders the counts cover (equal to the list's count while they are in step).</summary>
    public int Count => _all.Count;

    public static OrderTimes Of(List<SellerOrder> orders)
    {
        var times = new OrderTimes(new List<long>(orders.Count), [], [], new(orders.Count, StringComparer.Ordinal));
        foreach (var order in orders) times.Add(order);
        return times;
    }

    public OrderTimes Clone() => new([.. _all], [.. _suspectable], [.. _selfLinked], new(_byId, StringComparer.Ordinal));

    /// <summary>Where the order's record is in <paramref name="orders"/> (the list these counts follow), or -1.</summary>
    public int IndexOf(List<SellerOrder> orders, string orderId)
    {
        if (!_byId.TryGetValue(orderId, out var known)) return -1;
        for (var i = orders.Count - 1; i >= 0; i--)
        {
            if (ReferenceEquals(orders[i], known)) return i;
        }

        return -1;
    }

    /// <summary>Only a reversed or self-linked order can count as suspect for brushing.</summary>
    public static bool Suspectable(SellerOrder order) => order.SelfLinked || order.Status is OrderStatus.Refunded or OrderStatus.Cancelled;

    public void Add(SellerOrder order)
    {
        _byId[order.OrderId] = order;
        Insert(_all, order.At.UtcTicks);
        if (Suspectable(order)) Insert(_suspectable, order.At.UtcTicks);
        if (order.SelfLinked) Insert(_selfLinked, order.At.UtcTicks);
    }

    public void Remove(SellerOrder order)
    {
        if (_byId.TryGetValue(order.OrderId, out var known) && ReferenceEquals(known, order)) _byId.Remove(order.OrderId);
        Delete(_all, order.At.UtcTicks);
        if (Suspectable(order)) Delete(_suspectable, order.At.UtcTicks);
        if (order.SelfLinked) Delete(_selfLinked, order.At.UtcTicks);
    }

    /// <summary>Orders at times in (now − window, now], how many of them are reversed or self-linked, and how many self-linked.</summary>
    public (int Recent, int Suspectable, int SelfLinked) InWindow(DateTimeOffset now, TimeSpan window)
    {
        var (from, to) = ((now - window).UtcTicks, now.UtcTicks);
        return (Between(_all, from, to), Between(_suspectable, from, to), Between(_selfLinked, from, to));
    }

    private static int Between(List<long> sorted, long fromExclusive, long toInclusive) =>
        FirstAbove(sorted, toInclusive) - FirstAbove(sorted, fromExclusive);

    /// <summary>The index of the first time greater than <paramref name="t"/> (the list's count if none).</summary>
    private static int FirstAbove(List<long> sorted, long t)
    {
        var (lo, hi) = (0, sorted.Count);
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= t) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    private static void Insert(List<long> sorted, long t) => sorted.Insert(FirstAbove(sorted, t), t);

    /// <summary>Removes one occurrence; none there means the counts are out of step, and their count, now above the
    /// list's, makes <see cref="SellerState.OrderTimes"/> build them again.</summary>
    private static void Delete(List<long> sorted, long t)
    {
        var i = FirstAbove(sorted, t) - 1;
        if (i >= 0 && sorted[i] == t) sorted.RemoveAt(i);
    }
}
