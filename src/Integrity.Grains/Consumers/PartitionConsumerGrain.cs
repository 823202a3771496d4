using Integrity.Contracts;
using Integrity.Contracts.Services;
using Integrity.Domain.Events;
using Integrity.Grains.Decisions;
using Integrity.Grains.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Concurrency;
using Orleans.Streams.Core;

namespace Integrity.Grains.Consumers;

/// <summary>
/// Consumes one journal partition: each row's events go to their entity grains (in phases, in order), and every
/// <see cref="PartitionConsumerOptions.CheckpointInterval"/> the grains touched since the last checkpoint write
/// their state, pending decisions reach the audit table, and only then the checkpoint moves. A crash therefore
/// replays from the checkpoint, and grains drop what they had already applied (idempotent by event id).
/// </summary>
[ImplicitStreamSubscription(StreamNames.JournalNamespace)]
[Reentrant]
public sealed partial class PartitionConsumerGrain(
    IJournalCheckpointStore checkpoints,
    IDeadLetterSink deadLetters,
    IDecisionSink decisions,
    IOptions<PartitionConsumerOptions> options,
    TimeProvider time,
    ILogger<PartitionConsumerGrain> logger) : Grain, IPartitionConsumerGrain, IStreamSubscriptionObserver, IAsyncObserver<JournalSlice>
{
    public const string BrandDirectoryKey = "all";

    private readonly PartitionConsumerOptions _options = options.Value;
    private readonly SemaphoreSlim _dispatching = new(1, 1);
    private HashSet<EntityRef> _dirty = [];
    private int _partition;
    private long _dispatched;
    private long _checkpointed;
    private long _applied;
    private long _duplicates;
    private long _rejected;
    private bool _checkpointing;
    private long _lastTick;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _partition = StreamNames.PartitionOf(this.GetPrimaryKeyString());
        _checkpointed = _dispatched = await checkpoints.ReadAsync(_partition, cancellationToken);
        var poll = TimeSpan.FromMilliseconds(Math.Max(1, _options.CheckpointInterval.TotalMilliseconds / 4));
        this.RegisterGrainTimer(CheckpointOnTickAsync, new GrainTimerCreationOptions(poll, poll) { Interleave = true });
    }

    /// <summary>
    /// Checkpoints once per <see cref="PartitionConsumerOptions.CheckpointInterval"/>, on boundaries of the clock shared
    /// by every partition, so their checkpoints run together: a grain several partitions touched (a customer who buys
    /// from sellers in several) is then written once for all of them, not once for each. When a checkpoint takes longer
    /// than the interval, the next starts as soon as it ends.
    /// </summary>
    private Task CheckpointOnTickAsync(CancellationToken cancellationToken)
    {
        // A tick that passes while a checkpoint is under way is not lost: the first poll after it ends starts the next.
        var tick = time.GetUtcNow().ToUnixTimeMilliseconds() / Math.Max(1, (long)_options.CheckpointInterval.TotalMilliseconds);
        if (tick == _lastTick || _checkpointing)
        {
            return Task.CompletedTask;
        }

        _lastTick = tick;
        return CheckpointAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await CheckpointAsync(cancellationToken);
    }

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<JournalSlice>().ResumeAsync(this);

    public async Task OnNextAsync(JournalSlice item, StreamSequenceToken? token = null)
    {
        // Reentrant for the checkpoint timer only: rows are still dispatched one at a time, in order.
        await _dispatching.WaitAsync();
        try
        {
            if (item.Sequence <= _dispatched)
            {
                return; // redelivered by the stream after a restart or a retry
            }

            await DispatchWithRetryAsync(item);
            _dispatched = item.Sequence;
        }
        finally
        {
            _dispatching.Release();
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, _partition, ex.Message);
        return Task.CompletedTask;
    }

    public Task<ConsumerProgress> GetProgressAsync() =>
        Task.FromResult(new ConsumerProgress(_partition, _dispatched, _checkpointed, _applied, _duplicates, _rejected));

    private async Task DispatchWithRetryAsync(JournalSlice slice)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await DispatchAsync(slice);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nothing is skipped: the partition waits and retries. Grains drop events they already applied.
                LogDispatchRetry(logger, _partition, slice.Sequence, attempt, e.Message);
                await Task.Delay(_options.RetryDelay * Math.Min(attempt, 10));
            }
        }
    }

    private async Task DispatchAsync(JournalSlice slice)
    {
        if (!_options.WriteThrough)
        {
            await DispatchAsync(slice, slice.Events, writeThrough: false);
            return;
        }

        foreach (var e in slice.Events)
        {
            await DispatchAsync(slice, [e], writeThrough: true);
        }

        await decisions.FlushAsync();
        await checkpoints.AdvanceAsync(_partition, slice.Sequence, time.GetUtcNow());
    }

    private async Task DispatchAsync(JournalSlice slice, IReadOnlyList<IntegrityEvent> events, bool writeThrough)
    {
        var brands = WorkPlan.Brands(events);
        if (brands.Count > 0)
        {
            await GrainFactory.GetGrain<IBrandDirectoryGrain>(BrandDirectoryKey).RegisterAsync(brands);
        }

        // Grains are marked dirty before they are called, so a checkpoint taken meanwhile still flushes them.
        var prices = await WorkPlan.ObserveCategoriesAsync(GrainFactory, events);
        var plan = new WorkPlan(events, prices);
        var totals = await WorkDelivery.RunAsync(GrainFactory, plan, onTouched: entity => _dirty.Add(entity));
        if (writeThrough)
        {
            await Task.WhenAll(totals.Touched.Select(t => WorkPlan.Grain(GrainFactory, t).FlushAsync()));
        }

        _applied += totals.Applied;
        _duplicates += totals.Duplicates;
        if (totals.Exhausted)
        {
            LogRoundsExhausted(logger, _partition, slice.Sequence, WorkDelivery.MaxRounds);
        }

        var rejected = totals.Rejected.Select(r => Letter(slice, r)).ToList();
        if (rejected.Count > 0)
        {
            var unique = rejected.DistinctBy(r => (r.EventId, r.Code)).ToList();
            _rejected += unique.Count;
            await deadLetters.AppendAsync(unique);
        }
    }

    private ConsumerDeadLetter Letter(JournalSlice slice, RejectedEvent r)
    {
        var type = slice.Events.FirstOrDefault(e => e.EventId == r.EventId)?.TypeName ?? "unknown";
        return new ConsumerDeadLetter(_partition, slice.Sequence, r.EventId, type, r.Code, r.Reason, time.GetUtcNow());
    }

    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        if (_checkpointing || _dispatched == _checkpointed)
        {
            return;
        }

        _checkpointing = true;
        var upTo = _dispatched;
        var dirty = _dirty;
        _dirty = [];
        try
        {
            await FlushAllAsync(dirty);
            await decisions.FlushAsync(cancellationToken);
            await checkpoints.AdvanceAsync(_partition, upTo, time.GetUtcNow(), cancellationToken);
            _checkpointed = upTo;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Keep them dirty; the next checkpoint writes them again and only then moves on.
            _dirty.UnionWith(dirty);
            LogCheckpointFailed(logger, _partition, upTo, e.Message);
        }
        finally
        {
            _checkpointing = false;
        }
    }

    /// <summary>
    /// Writes the grains' states, at most <see cref="PartitionConsumerOptions.MaxConcurrentFlushes"/> at a time: thousands
    /// of writes at once only queue up in storage until they time out (and a retried write can meet its own row).
    /// </summary>
    private async Task FlushAllAsync(IReadOnlyCollection<EntityRef> entities)
    {
        using var slots = new SemaphoreSlim(_options.MaxConcurrentFlushes);
        await Task.WhenAll(entities.Select(async e =>
        {
            await slots.WaitAsync();
            try
            {
                await WorkPlan.Grain(GrainFactory, e).FlushAsync();
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: dispatch of row {Sequence} failed (attempt {Attempt}), retrying: {Error}")]
    private static partial void LogDispatchRetry(ILogger logger, int partition, long sequence, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: checkpoint at {Sequence} failed, will retry: {Error}")]
    private static partial void LogCheckpointFailed(ILogger logger, int partition, long sequence, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: row {Sequence} still had notices after {Rounds} rounds; the rest are dropped")]
    private static partial void LogRoundsExhausted(ILogger logger, int partition, long sequence, int rounds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: stream error {Error}")]
    private static partial void LogStreamError(ILogger logger, int partition, string error);
}
