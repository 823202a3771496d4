using System.Text;
using Integrity.Domain.Events;

namespace Integrity.Storage.AzureTables.Journal;

/// <summary>
/// Which journal partition an event goes to. Everything about one seller (its listings, orders, reviews and
/// complaints) lands in one partition, so it is read back in the order it was accepted. The hash is FNV-1a (32 bit)
/// over the UTF-8 routing key: stable across processes, machines and .NET versions, unlike string.GetHashCode.
/// </summary>
public static class JournalPartitioner
{
    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;

    /// <summary>The event's seller id when it has one, else its brand id, else the id of the first entity it touches.</summary>
    public static string RoutingKey(IntegrityEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string? brand = null;
        string? first = null;
        foreach (var entity in e.TouchedEntities())
        {
            if (entity.Kind == EntityKind.Seller)
            {
                return entity.Id;
            }

            if (entity.Kind == EntityKind.Brand)
            {
                brand ??= entity.Id;
            }

            first ??= entity.Id;
        }

        return brand ?? first ?? throw new ArgumentException($"Event {e.EventId} ({e.TypeName}) touches no entity, so it has no partition.", nameof(e));
    }

    public static int PartitionOf(IntegrityEvent e, int partitionCount) => PartitionOf(RoutingKey(e), partitionCount);

    public static int PartitionOf(string routingKey, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(routingKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        return (int)(Fnv1a(routingKey) % (uint)partitionCount);
    }

    /// <summary>The journal table's PartitionKey of a partition, e.g. <c>p003</c>.</summary>
    public static string PartitionKey(int partition) =>
        partition is >= 0 and < 1000
            ? $"p{partition:D3}"
            : throw new ArgumentOutOfRangeException(nameof(partition), partition, "Journal partitions are numbered 0..999.");

    private static uint Fnv1a(string key)
    {
        var length = Encoding.UTF8.GetByteCount(key);
        var bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(key, bytes);
        var hash = FnvOffset;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * FnvPrime;
        }

        return hash;
    }
}
