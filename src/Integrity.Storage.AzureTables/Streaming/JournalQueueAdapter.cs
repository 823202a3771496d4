using Integrity.Domain.Events;
using Integrity.Contracts.Services;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Integrity.Storage.AzureTables.Streaming;

/// <summary>
/// The journal as an Orleans queue adapter: producers (the Orleans client path) append events durably;
/// each queue is one journal partition, read by a <see cref="JournalQueueReceiver"/>.
/// </summary>
public sealed class JournalQueueAdapter(
    string name,
    IJournalSource journal,
    IJournalCheckpointStore checkpoints,
    JournalStreamOptions options,
    JournalWakeSignals wakeSignals,
    TimeProvider time,
    ILoggerFactory loggerFactory) : IQueueAdapter
{
    public string Name => name;

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        var list = events.ToList();
        if (list.Any(e => e is not IntegrityEvent))
        {
            throw new NotSupportedException($"The journal stream carries marketplace events only, not {typeof(T).Name}.");
        }

        await journal.AppendAsync([.. list.Cast<IntegrityEvent>()], CancellationToken.None);
    }

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new JournalQueueReceiver(
        JournalQueueMapper.PartitionOf(queueId), journal, checkpoints, options, wakeSignals, time, loggerFactory.CreateLogger<JournalQueueReceiver>());
}
