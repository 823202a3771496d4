namespace Integrity.Domain.Webhooks;

/// <summary>
/// Per-entity order over one endpoint's queue: of the queued items, oldest first, only each entity's first may be sent,
/// and only once it is due. An entity whose first item waits for a retry holds back its later items, never another
/// entity's.
/// </summary>
public static class DeliveryOrder
{
    /// <param name="queued">The queue, oldest first.</param>
    public static IReadOnlyList<T> DueHeads<T>(IEnumerable<T> queued, Func<T, string> entity, Func<T, DateTimeOffset> dueAt, DateTimeOffset now)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var due = new List<T>();
        foreach (var item in queued)
        {
            if (seen.Add(entity(item)) && dueAt(item) <= now)
            {
                due.Add(item);
            }
        }

        return due;
    }

    /// <summary>When the earliest waiting head of the queue is due (null: nothing waits).</summary>
    public static DateTimeOffset? NextDue<T>(IEnumerable<T> queued, Func<T, string> entity, Func<T, DateTimeOffset> dueAt)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        DateTimeOffset? next = null;
        foreach (var item in queued)
        {
            if (seen.Add(entity(item)) && (next is null || dueAt(item) < next))
            {
                next = dueAt(item);
            }
        }

        return next;
    }
}
