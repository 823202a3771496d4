using Integrity.Contracts.Services;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Integrity.Storage.AzureTables.Streaming;

/// <summary>
/// Reads one journal partition in sequence order, starting after its durable checkpoint. Nothing is deleted on
/// delivery: the consumer advances the checkpoint once the grain states covering the events are written, so a
/// crash replays from there (grains drop what they already applied by event id). An idle partition is read less and
/// less often (<see cref="JournalReadPacer"/>) until an append wakes it (<see cref="JournalWakeSignals"/>).
/// </summary>
/// <remarks>
/// A resting partition's read waits for its wake (at most <see cref="MaxRestingWait"/>) instead of answering at once:
/// Orleans' pulling agent schedules its next tick only once a read has answered, so while the partition rests the agent
/// does not tick at all, where it would otherwise tick every <c>GetQueueMsgsTimerPeriod</c> (50 times a second per
/// partition) for nothing. A woken read goes to storage at once, sooner than the next tick would have.
/// </remarks>
public sealed partial class JournalQueueReceiver(
    int partition,
    IJournalSource journal,
    IJournalCheckpointStore checkpoints,
    JournalStreamOptions options,
    JournalWakeSignals wakeSignals,
    TimeProvider time,
    ILogger<JournalQueueReceiver> logger) : IQueueAdapterReceiver
{
    /// <summary>
    /// The longest a resting read waits before it answers empty (and the agent ticks again): each answer costs the silo
    /// a few wake-ups. It bounds how long an agent that gives up the partition while the silo runs on (the queues are
    /// rebalanced) waits for the read under way; a stopping silo ends the wait at once (<see cref="JournalWakeSignals.Stop"/>).
    /// </summary>
    public static readonly TimeSpan MaxRestingWait = TimeSpan.FromSeconds(5);

    private readonly JournalReadPacer _pacer = new(time, options.IdlePollInterval);
    private long _lastRead;

    public async Task Initialize(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        _lastRead = await checkpoints.ReadAsync(partition, cancellation.Token);
        wakeSignals.Register(partition, _pacer);
        LogStarting(logger, partition, _lastRead);
    }

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
    {
        await _pacer.WaitAsync(MaxRestingWait);
        if (!_pacer.ShouldRead())
        {
            return [];
        }

        using var cancellation = new CancellationTokenSource(options.ReadTimeout);
        try
        {
            var rows = await journal.ReadAsync(partition, _lastRead, Math.Min(Math.Max(maxCount, 1), options.MaxRowsPerRead), cancellation.Token);
            _pacer.Read(rows.Count > 0);
            if (rows.Count == 0)
            {
                return [];
            }

            // Watchers of the journal (the stored-lag gate) leave a settled partition read here to this reader: rows
            // whose wake was lost are announced by the read that finds them.
            wakeSignals.Found(partition);

            _lastRead = rows[^1].Sequence;
            var stream = StreamId.Create(Contracts.StreamNames.JournalNamespace, Contracts.StreamNames.PartitionKey(partition));
            return [.. rows.Select(r => (IBatchContainer)new JournalBatchContainer(stream, r))];
        }
        catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException or AggregateException)
        {
            // Storage is down or slow: deliver nothing now; the pulling agent asks again on its next tick.
            LogReadFailed(logger, partition, _lastRead, e.Message.Split('\n', 2)[0].Trim());
            return [];
        }
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    public Task Shutdown(TimeSpan timeout)
    {
        wakeSignals.Unregister(partition, _pacer);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Journal partition {Partition}: reading after checkpoint {Checkpoint}")]
    private static partial void LogStarting(ILogger logger, int partition, long checkpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal partition {Partition}: read after {Sequence} failed, will retry: {Error}")]
    private static partial void LogReadFailed(ILogger logger, int partition, long sequence, string error);
}
