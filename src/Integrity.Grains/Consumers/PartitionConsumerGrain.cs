using System.Diagnostics;
using Integrity.Contracts;
using Integrity.Contracts.Services;
using Integrity.Domain.Events;
using Integrity.Grains.Checkpoints;
using Integrity.Grains.Decisions;
using Integrity.Grains.Policy;
using Integrity.Grains.Routing;
using Integrity.Grains.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Concurrency;
using Orleans.Streams.Core;

namespace Integrity.Grains.Consumers;

/// <summary>
/// Consumes one journal partition: each row's events go to their entity grains (in phases, in order), and every
/// <see cref="PartitionConsumerOptions.CheckpointInterval"/> the grains touched since the last checkpoint write
/// their state, pending decisions reach the audit table, and only then the checkpoint moves, and only if every grain's
/// stored state holds the rows it received (Checkpoints/README.md); otherwise the rows after the checkpoint are
/// replayed. A crash therefore replays from the checkpoint, and grains drop what they had already applied.
/// </summary>
[ImplicitStreamSubscription(StreamNames.JournalNamespace)]
[Orleans.Placement.PreferLocalPlacement] // beside the pulling agent that delivers its partition, which the queue balancer spreads over the silos
[Reentrant]
public sealed partial class PartitionConsumerGrain(
    IJournalCheckpointStore checkpoints,
    IJournalRows journal,
    IDeadLetterSink deadLetters,
    IDecisionSink decisions,
    IOptions<PartitionConsumerOptions> options,
    TimeProvider time,
    IntegrityMetrics metrics,
    IHostApplicationLifetime lifetime,
    EvidenceCoverageTracker evidence,
    ILogger<PartitionConsumerGrain> logger) : Grain, IPartitionConsumerGrain, IStreamSubscriptionObserver, IAsyncObserver<JournalSlice>
{
    public const string BrandDirectoryKey = "all";

    private readonly PartitionConsumerOptions _options = options.Value;
    private const int ReplayPageRows = 50;
    private readonly SemaphoreSlim _dispatching = new(1, 1);
    private CheckpointLedger _ledger = new(0);
    private int _partition;
    private long _dispatched;
    private long _checkpointed;
    private long _applied;
    private long _duplicates;
    private long _rejected;
    private bool _checkpointing;
    private long _lastTick;
    private long _restUntil;
    private bool _lastAdvanced;
    private StageWatch _stages = new(TimeProvider.System);

    /// <summary>A stage under way longer than this is reported (a call to a grain waits out ResponseTimeout at most).</summary>
    private static readonly TimeSpan StallReport = TimeSpan.FromSeconds(15);
    private IGrainTimer? _checkpointTimer;
    private TimeSpan _checkpointPoll;
    private bool _checkpointTimerResting;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _partition = StreamNames.PartitionOf(this.GetPrimaryKeyString());
        _ledger = new CheckpointLedger(_partition);
        _stages = new StageWatch(time);
        _checkpointed = _dispatched = await checkpoints.ReadAsync(_partition, cancellationToken);
        metrics.Dispatched(_partition, _dispatched);
        _checkpointPoll = TimeSpan.FromMilliseconds(Math.Max(1, _options.CheckpointInterval.TotalMilliseconds / 4));
        _checkpointTimer = this.RegisterGrainTimer(CheckpointOnTickAsync, new GrainTimerCreationOptions(_checkpointPoll, _checkpointPoll) { Interleave = true });

        // Stalls are reported on a timer of their own: a timer's next tick waits for its callback, so a checkpoint that
        // hangs would also hold back a report made from the checkpoint timer (in a CI run a partition's checkpoint stood
        // still for minutes without a word). In memory only: an idle consumer's tick costs no request.
        var stallPoll = StallReport / 3;
        this.RegisterGrainTimer(ReportStalls, new GrainTimerCreationOptions(stallPoll, stallPoll) { Interleave = true });
    }

    private Task ReportStalls(CancellationToken cancellationToken)
    {
        foreach (var (lane, what, took) in _stages.Overdue(StallReport))
        {
            LogStageOverdue(logger, _partition, lane, what, took.TotalSeconds);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// With nothing dispatched since the checkpoint and nothing under way, the timer stops (an idle partition's consumer
    /// then costs nothing); the next delivery starts it again (<see cref="WakeCheckpointTimer"/>) before it dispatches.
    /// </summary>
    private bool RestCheckpointTimerIfIdle()
    {
        if (_checkpointing || _dispatching.CurrentCount == 0 || _dispatched != _checkpointed || _ledger.PendingCount > 0)
        {
            return false;
        }

        _checkpointTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _checkpointTimerResting = true;
        return true;
    }

    private void WakeCheckpointTimer()
    {
        if (_checkpointTimerResting)
        {
            _checkpointTimerResting = false;
            _checkpointTimer?.Change(_checkpointPoll, _checkpointPoll);
        }
    }

    /// <summary>
    /// Checkpoints once per <see cref="PartitionConsumerOptions.CheckpointInterval"/>, on boundaries of the clock shared
    /// by every partition, so their checkpoints run together: a grain several partitions touched (a customer who buys
    /// from sellers in several) is then written once for all of them, not once for each. When a checkpoint takes longer
    /// than the interval, the next starts after a rest as long as it took (<see cref="PartitionConsumerOptions.RestAfter"/>):
    /// under load the interval stretches, up to <see cref="PartitionConsumerOptions.MaxCheckpointInterval"/>.
    /// </summary>
    private async Task CheckpointOnTickAsync(CancellationToken cancellationToken)
    {
        // A tick that passes while a checkpoint is under way or resting is not lost: the first poll after starts the next.
        if (RestCheckpointTimerIfIdle())
        {
            return;
        }

        var tick = time.GetUtcNow().ToUnixTimeMilliseconds() / Math.Max(1, (long)_options.CheckpointInterval.TotalMilliseconds);
        if (tick == _lastTick || _checkpointing || time.GetTimestamp() < _restUntil)
        {
            return;
        }

        _lastTick = tick;
        var started = time.GetTimestamp();
        _lastAdvanced = false;
        // A silo that stops drops the answers to calls its grains made (it blocks application messages): a checkpoint
        // under way then would wait out every call's response timeout and hold the silo's shutdown past its own. It
        // gives up instead; the partition's next consumer replays from the durable checkpoint.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        await CheckpointAsync(stopping.Token);

        // Only a checkpoint that moved rests: one that failed or found grains short (a silo died under them) was slow
        // for waiting, not for work, and the next should come at once.
        var rest = _lastAdvanced ? _options.RestAfter(time.GetElapsedTime(started)) : TimeSpan.Zero;
        _restUntil = time.GetTimestamp() + (long)(rest.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>
    /// A last checkpoint on the way out, except when the silo shuts down: then Orleans deactivates every grain of the
    /// silo at once, the entity grains write their own last state, and a checkpoint's flush calls would chase them while
    /// they deactivate (each waiting out the response timeout; the silo then missed its 30 s shutdown timeout). The
    /// partition's next consumer replays the rows since the durable checkpoint instead (entities apply an event once).
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            await CheckpointAsync(cancellationToken);
        }

        metrics.ConsumerStopped(_partition);
    }

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<JournalSlice>().ResumeAsync(this);

    public async Task OnNextAsync(JournalSlice item, StreamSequenceToken? token = null)
    {
        // Reentrant for the checkpoint timer only: rows are still dispatched one at a time, in order.
        WakeCheckpointTimer();
        await _dispatching.WaitAsync();
        try
        {
            if (item.Sequence <= _dispatched)
            {
                return; // redelivered by the stream after a restart or a retry
            }

            if (item.Sequence > _dispatched + 1)
            {
                // Rows are numbered without holes: the stream started past rows this activation never saw (its
                // predecessor could not checkpoint on the way out). Read them from the journal; never skip.
                LogCatchingUp(logger, _partition, _dispatched, item.Sequence);
                await ReplayAsync(_dispatched, item.Sequence - 1, rewind: false);
            }

            if (!await DispatchWithRetryAsync(item))
            {
                await ReplayAsync(_checkpointed, item.Sequence, rewind: true);
            }

            _dispatched = item.Sequence;
            metrics.Dispatched(_partition, _dispatched);
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
        Task.FromResult(new ConsumerProgress(_partition, _dispatched, _checkpointed, _applied, _duplicates, _rejected, RuntimeIdentity, _checkpointTimerResting));

    public async Task<ConsumerProgress> CheckpointNowAsync()
    {
        while (_checkpointing)
        {
            await Task.Delay(10);
        }

        await CheckpointAsync(CancellationToken.None);
        return await GetProgressAsync();
    }

    /// <summary>Delivers a row until it succeeds; false when an entity refused it for a gap (the caller replays).</summary>
    private async Task<bool> DispatchWithRetryAsync(JournalSlice slice)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DispatchAsync(slice);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nothing is skipped: the partition waits and retries. Grains drop events they already applied.
                LogDispatchRetry(logger, _partition, slice.Sequence, attempt, e.Message);
                await Task.Delay(_options.RetryDelay * Math.Min(attempt, 10), lifetime.ApplicationStopping);
            }
        }
    }

    /// <summary>
    /// Replays the rows after <paramref name="after"/> through <paramref name="through"/> from the journal. With
    /// <paramref name="rewind"/> (from the durable checkpoint, after a gap or a shortfall), deliveries first drop their
    /// claims on previous rows; a gap met during the replay starts it again.
    /// </summary>
    private async Task ReplayAsync(long after, long through, bool rewind)
    {
        for (var pass = 1; ; pass++)
        {
            if (rewind)
            {
                _ledger.Rewind();
                LogReplaying(logger, _partition, after, through, pass);
            }

            var position = after;
            var gap = false;
            while (position < through && !gap)
            {
                IReadOnlyList<JournalSlice> rows;
                using (_stages.Enter(ConsumerLane.Dispatch, $"reading rows after {position} from the journal (replay to {through}, pass {pass})"))
                {
                    rows = await journal.ReadAsync(_partition, position, ReplayPageRows, CancellationToken.None);
                }

                if (rows.Count == 0)
                {
                    break;
                }

                foreach (var row in rows.TakeWhile(r => r.Sequence <= through))
                {
                    if (!await DispatchWithRetryAsync(row))
                    {
                        gap = true;
                        break;
                    }

                    position = row.Sequence;
                }

                if (rows[^1].Sequence >= through)
                {
                    break;
                }
            }

            if (!gap)
            {
                return;
            }

            after = _checkpointed;
            rewind = true;
            await Task.Delay(_options.RetryDelay);
        }
    }

    private async Task<bool> DispatchAsync(JournalSlice slice)
    {
        using var activity = IntegrityActivities.Source.StartActivity(IntegrityActivities.Dispatch, ActivityKind.Consumer);
        activity?.SetTag("integrity.partition", _partition);
        activity?.SetTag("integrity.sequence", slice.Sequence);
        activity?.SetTag("integrity.events", slice.Events.Count);
        _stages.Enter(ConsumerLane.Dispatch, $"dispatching row {slice.Sequence} ({slice.Events.Count} events)");
        try
        {
            // On a silo that stops, the answers to the row's calls are dropped: the row is given up, not waited out (it
            // was not dispatched, so the partition's next consumer replays it; entities apply an event once).
            var delivered = await DispatchRowAsync(slice).WaitAsync(lifetime.ApplicationStopping);
            activity?.SetTag("integrity.gap", !delivered);
            return delivered;
        }
        finally
        {
            _stages.Leave(ConsumerLane.Dispatch);
        }
    }

    private async Task<bool> DispatchRowAsync(JournalSlice slice)
    {
        evidence.Observe(slice.Events);
        if (!_options.WriteThrough)
        {
            return await DispatchAsync(slice, slice.Events, writeThrough: false);
        }

        foreach (var e in slice.Events)
        {
            if (!await DispatchAsync(slice, [e], writeThrough: true))
            {
                return false;
            }
        }

        return (await StoreThroughAsync(slice.Sequence, CancellationToken.None)).Count == 0;
    }

    private async Task<bool> DispatchAsync(JournalSlice slice, IReadOnlyList<IntegrityEvent> events, bool writeThrough)
    {
        var brands = WorkPlan.Brands(events);
        if (brands.Count > 0)
        {
            await GrainFactory.GetGrain<IBrandDirectoryGrain>(BrandDirectoryKey).RegisterAsync(brands);
        }

        // Grains are marked dirty before they are called, so a checkpoint taken meanwhile still flushes them.
        var prices = await WorkPlan.ObserveCategoriesAsync(GrainFactory, events);
        var plan = new WorkPlan(events, prices);
        var totals = await WorkDelivery.RunAsync(GrainFactory, plan, rowFor: entity => _ledger.Stamp(entity, slice.Sequence));
        _ledger.Delivered(totals.Touched.Where(t => !totals.Gaps.Contains(t)), slice.Sequence);
        if (writeThrough)
        {
            await Task.WhenAll(totals.Touched.Select(t => WorkPlan.Grain(GrainFactory, t).FlushAsync()));
        }

        _applied += totals.Applied;
        _duplicates += totals.Duplicates;
        metrics.EventsDelivered(_partition, totals.Applied, totals.Duplicates);
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
            foreach (var code in unique.GroupBy(r => r.Code))
            {
                metrics.DeadLetters("consumer", code.Key, code.Count());
            }
        }

        return totals.Gaps.Count == 0;
    }

    private ConsumerDeadLetter Letter(JournalSlice slice, RejectedEvent r)
    {
        var type = slice.Events.FirstOrDefault(e => e.EventId == r.EventId)?.TypeName ?? "unknown";
        return new ConsumerDeadLetter(_partition, slice.Sequence, r.EventId, type, r.Code, r.Reason, time.GetUtcNow());
    }

    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        if (_checkpointing || (_dispatched == _checkpointed && _ledger.PendingCount == 0))
        {
            return;
        }

        _checkpointing = true;
        var upTo = _dispatched;
        var replay = false;
        var started = time.GetTimestamp();
        var outcome = "failed";
        using var activity = IntegrityActivities.Source.StartActivity(IntegrityActivities.Checkpoint);
        activity?.SetTag("integrity.partition", _partition);
        activity?.SetTag("integrity.sequence", upTo);
        activity?.SetTag("integrity.grains", _ledger.PendingCount);
        try
        {
            var uncovered = await StoreThroughAsync(upTo, cancellationToken);
            if (uncovered.Count > 0)
            {
                // Their stored state lacks rows they had received (a lost write at deactivation, a dead silo): no
                // checkpoint past them; replay the rows after the checkpoint instead.
                LogUncovered(logger, _partition, uncovered.Count, uncovered[0].ToString(), upTo);

                // Such a grain may still hold the rows in memory (its write was lost, say, to a write conflict while a silo
                // died): it would take the replay as duplicates and stay short for ever. It starts again from its stored row.
                _stages.Enter(ConsumerLane.Checkpoint, $"deactivating {uncovered.Count} grains short of rows before a replay");
                foreach (var entity in uncovered)
                {
                    await WorkPlan.Grain(GrainFactory, entity).Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
                }

                replay = true;
                outcome = "uncovered";
            }
            else
            {
                outcome = "advanced";
                _lastAdvanced = true;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Still pending; the next checkpoint writes them again and only then moves on.
            LogCheckpointFailed(logger, _partition, upTo, e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping or the consumer deactivating: the next consumer replays from the durable checkpoint.
            outcome = "abandoned";
            LogCheckpointAbandoned(logger, _partition, upTo, _checkpointed);
            return;
        }
        finally
        {
            _checkpointing = false;
            _stages.Leave(ConsumerLane.Checkpoint);
            activity?.SetTag("integrity.outcome", outcome);
            metrics.CheckpointTaken(_partition, outcome, time.GetElapsedTime(started).TotalSeconds);
        }

        if (replay)
        {
            _stages.Enter(ConsumerLane.Checkpoint, "waiting for the row under way before replaying from the checkpoint");
            await _dispatching.WaitAsync(cancellationToken);
            try
            {
                _stages.Enter(ConsumerLane.Checkpoint, $"replaying rows {_checkpointed}+1..{_dispatched}");
                await ReplayAsync(_checkpointed, _dispatched, rewind: true);
            }
            finally
            {
                _dispatching.Release();
                _stages.Leave(ConsumerLane.Checkpoint);
            }
        }
    }

    /// <summary>
    /// The checkpoint rule in one place: writes every grain the ledger has pending, then makes the decisions durable and
    /// moves the checkpoint to <paramref name="upTo"/>. If a stored state lacks rows it had received, the checkpoint
    /// stays, the grains stay pending and they are returned (the caller replays). If storage fails, they stay pending
    /// and the exception goes on.
    /// </summary>
    private async Task<IReadOnlyList<EntityRef>> StoreThroughAsync(long upTo, CancellationToken cancellationToken)
    {
        var taken = _ledger.TakePending();
        try
        {
            _stages.Enter(ConsumerLane.Checkpoint, $"writing {taken.Count} grains' state for the checkpoint at {upTo}");
            var stored = await FlushAllAsync(taken.Keys, cancellationToken);
            var uncovered = _ledger.Uncovered(taken, stored);
            if (uncovered.Count > 0)
            {
                _ledger.Restore(taken);
                return uncovered;
            }

            _stages.Enter(ConsumerLane.Checkpoint, $"waiting for the audit of decisions before the checkpoint at {upTo}");
            await decisions.FlushAsync(cancellationToken);
            _stages.Enter(ConsumerLane.Checkpoint, $"storing the checkpoint at {upTo}");
            await checkpoints.AdvanceAsync(_partition, upTo, time.GetUtcNow(), cancellationToken);
            _checkpointed = upTo;
            return [];
        }
        catch
        {
            _ledger.Restore(taken);
            throw;
        }
    }

    /// <summary>
    /// Writes the grains' states, at most <see cref="PartitionConsumerOptions.MaxConcurrentFlushes"/> at a time: thousands
    /// of writes at once only queue up in storage until they time out (and a retried write can meet its own row).
    /// </summary>
    private async Task<IReadOnlyDictionary<EntityRef, JournalCoverage>> FlushAllAsync(IEnumerable<EntityRef> entities, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(_options.MaxConcurrentFlushes);
        var stored = await Task.WhenAll(entities.Select(async e =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                // An abandoned call still completes (or times out) on its own; only its answer is no longer awaited.
                return (Entity: e, Coverage: await WorkPlan.Grain(GrainFactory, e).FlushAsync().WaitAsync(cancellationToken));
            }
            finally
            {
                slots.Release();
            }
        }));
        return stored.ToDictionary(s => s.Entity, s => s.Coverage);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: dispatch of row {Sequence} failed (attempt {Attempt}), retrying: {Error}")]
    private static partial void LogDispatchRetry(ILogger logger, int partition, long sequence, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: checkpoint at {Sequence} failed, will retry: {Error}")]
    private static partial void LogCheckpointFailed(ILogger logger, int partition, long sequence, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: checkpoint at {Sequence} abandoned (the silo is stopping or the consumer deactivating); the durable checkpoint stays at {Checkpointed}")]
    private static partial void LogCheckpointAbandoned(ILogger logger, int partition, long sequence, long checkpointed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: row {Sequence} still had notices after {Rounds} rounds; the rest are dropped")]
    private static partial void LogRoundsExhausted(ILogger logger, int partition, long sequence, int rounds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: {Count} grains' stored state lacks rows they received (first: {Entity}); no checkpoint past {Sequence}, replaying from the checkpoint")]
    private static partial void LogUncovered(ILogger logger, int partition, int count, string entity, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: replaying rows {After}+1..{Through} from the journal (pass {Pass})")]
    private static partial void LogReplaying(ILogger logger, int partition, long after, long through, int pass);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Partition}: the stream resumed at row {Next} after {Dispatched}; reading the rows between from the journal")]
    private static partial void LogCatchingUp(ILogger logger, int partition, long dispatched, long next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: {Lane} still under way after {Seconds:0.0} s: {Stage}")]
    private static partial void LogStageOverdue(ILogger logger, int partition, ConsumerLane lane, string stage, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: stream error {Error}")]
    private static partial void LogStreamError(ILogger logger, int partition, string error);
}
