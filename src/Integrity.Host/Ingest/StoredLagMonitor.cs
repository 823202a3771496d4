using Integrity.Contracts.Services;
using Integrity.Storage.AzureTables.Journal;
using Integrity.Storage.AzureTables.Streaming;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Ingest;

/// <summary>
/// Reads the durable partition checkpoints every <see cref="IngestOptions.StoredLagPollMilliseconds"/> into the
/// <see cref="StoredLagTracker"/>, and with them each partition's first journal row past its checkpoint, whichever silo
/// appended it: so the gate of every silo sees what the whole cluster acknowledged. Rows are gap-free, so that row is
/// the checkpoint's next one; it is read again only once the checkpoint moved or while none was there.
/// A partition found settled (no row past its checkpoint) is left alone until an append to it is signalled, here or by
/// another silo (<see cref="JournalWakeSignals"/>), or <see cref="SettledRecheck"/> passed: an idle engine reads nothing.
/// A settled partition that this silo reads is not rechecked: its reader's idle poll finds rows whose wake was lost and
/// signals them (<see cref="JournalWakeSignals.Found"/>), so such rows reach the gate within that poll
/// (<see cref="JournalStreamOptions.IdlePollInterval"/>) and one tick, where a recheck of every partition would cost an
/// idle silo two storage requests per partition every <see cref="SettledRecheck"/>.
/// A process without the checkpoint store (an ingest-only app with no silo) does not gate.
/// </summary>
public sealed partial class StoredLagMonitor(
    IServiceProvider services,
    IOptions<IngestOptions> options,
    TimeProvider time,
    ILogger<StoredLagMonitor> logger) : BackgroundService
{
    /// <summary>
    /// How long a settled partition another silo reads goes unread when no append to it is signalled (a lost signal costs
    /// this much).
    /// </summary>
    public static readonly TimeSpan SettledRecheck = TimeSpan.FromSeconds(10);

    /// <summary>Per partition, the sequence of the first row past the checkpoint as last read (null: none was there).</summary>
    private long?[] _knownWaiting = [];

    /// <summary>Per partition found settled, when; the append count then is in the watermark (forgotten while rows wait).</summary>
    private DateTimeOffset[] _settledAt = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IJournalCheckpointStore>() is not { } checkpoints)
        {
            return;
        }

        // Resolved here, not in the constructor: invalid journal options are then reported by the host's start-time
        // validation with every other problem.
        var journal = services.GetRequiredService<IEventJournal>();
        var tracker = services.GetRequiredService<StoredLagTracker>();
        var signals = services.GetRequiredService<JournalWakeSignals>();
        _knownWaiting = new long?[tracker.Partitions];
        _settledAt = new DateTimeOffset[tracker.Partitions];
        var settled = new AppendWatermark(signals);

        // The first read comes before the gate closes on anything, so a restarted host starts from the stored checkpoints.
        await ReadAsync(tracker, journal, checkpoints, settled, signals, waiting: false, stoppingToken);
        tracker.Watch();
        var interval = TimeSpan.FromMilliseconds(options.Value.StoredLagPollMilliseconds);
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await ReadAsync(tracker, journal, checkpoints, settled, signals, waiting: true, stoppingToken);
        }
    }

    private async Task ReadAsync(StoredLagTracker tracker, IEventJournal journal, IJournalCheckpointStore checkpoints, AppendWatermark settled, JournalWakeSignals signals, bool waiting, CancellationToken stoppingToken)
    {
        try
        {
            var started = time.GetUtcNow();
            var partitions = Enumerable.Range(0, tracker.Partitions)
                .Where(p => !waiting || settled.Moved(p) || (started - _settledAt[p] > SettledRecheck && !signals.ReadHere(p)))
                .ToList();
            if (partitions.Count == 0)
            {
                return;
            }

            // Counted before reading: an append that lands during the read leaves the partition to be read again.
            var appends = partitions.Select(settled.Count).ToList();
            var read = await Task.WhenAll(partitions.Select(p => checkpoints.ReadAsync(p, stoppingToken)));
            var now = StoredLagTracker.Now(time);
            for (var i = 0; i < partitions.Count; i++)
            {
                tracker.Checkpointed(partitions[i], read[i], now);
            }

            if (!waiting)
            {
                return;
            }

            var unknown = Enumerable.Range(0, partitions.Count).Where(i => _knownWaiting[partitions[i]] != read[i] + 1).ToList();
            var first = await Task.WhenAll(unknown.Select(i => journal.FirstAfterAsync(partitions[i], read[i], stoppingToken)));
            var wallNow = time.GetUtcNow();
            now = StoredLagTracker.Now(time);
            for (var j = 0; j < unknown.Count; j++)
            {
                var p = partitions[unknown[j]];
                _knownWaiting[p] = first[j]?.Sequence;
                if (first[j] is { } row)
                {
                    // Its age by the wall clock (the appender's against ours), carried onto the monotonic scale the gate measures on.
                    var age = wallNow - row.AppendedAt;
                    tracker.Waiting(p, row.Sequence, now - (age > TimeSpan.Zero ? age : TimeSpan.Zero));
                }
            }

            for (var i = 0; i < partitions.Count; i++)
            {
                var p = partitions[i];
                if (_knownWaiting[p] is null)
                {
                    settled.Mark(p, appends[i]);
                    _settledAt[p] = started;
                }
                else
                {
                    settled.Forget(p);
                }
            }
        }
        catch (Exception e) when (e is Azure.RequestFailedException or AggregateException or IOException or TimeoutException)
        {
            // Storage down: checkpoints cannot be known to move, so the lag keeps growing and ingest stays closed.
            LogCheckpointsUnreadable(logger, e.Message.Split('\n', 2)[0]);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored-lag monitor: checkpoints not readable: {Error}")]
    private static partial void LogCheckpointsUnreadable(ILogger logger, string error);
}
