using Integrity.Contracts;
using Orleans.Streams;

namespace Integrity.Storage.AzureTables.Streaming;

/// <summary>
/// Journal partition i is queue i, and the stream <c>journal/p00i</c> lives on it. Queue hashes are spread
/// evenly over the ring so the consistent-ring balancer shares partitions fairly between silos.
/// </summary>
public sealed class JournalQueueMapper : IConsistentRingStreamQueueMapper
{
    private readonly QueueId[] _queues;

    public JournalQueueMapper(string providerName, int partitionCount)
    {
        var step = uint.MaxValue / (uint)partitionCount;
        _queues = [.. Enumerable.Range(0, partitionCount).Select(i => QueueId.GetQueueId(providerName, (uint)i, (uint)i * step + step / 2))];
    }

    public int PartitionCount => _queues.Length;

    public IEnumerable<QueueId> GetAllQueues() => _queues;

    public QueueId GetQueueForStream(StreamId streamId)
    {
        var partition = StreamNames.PartitionOf(streamId.GetKeyAsString());
        return partition < _queues.Length
            ? _queues[partition]
            : throw new ArgumentOutOfRangeException(nameof(streamId), $"Partition {partition} does not exist; the journal has {_queues.Length}.");
    }

    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range) => _queues.Where(q => range.InRange(q.GetUniformHashCode()));

    public static int PartitionOf(QueueId queue) => (int)queue.GetNumericId();
}
