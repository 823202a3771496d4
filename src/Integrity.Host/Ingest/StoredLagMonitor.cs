using Integrity.Contracts.Services;
using Integrity.Storage.AzureTables.Journal;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Ingest;

/// <summary>
/// Reads the durable partition checkpoints every <see cref="IngestOptions.StoredLagPollMilliseconds"/> into the
/// <see cref="StoredLagTracker"/>, and with them each partition's first journal row past its checkpoint, whichever silo
/// appended it: so the gate of every silo sees what the whole cluster acknowledged. Rows are gap-free, so that row is
/// the checkpoint's next one; it is read again only once the checkpoint moved or while none was there.
/// A process without the checkpoint store (an ingest-only app with no silo) does not gate.
/// </summary>
public sealed partial class StoredLagMonitor(
    IServiceProvider services,
    IOptions<IngestOptions> options,
    TimeProvider time,
    ILogger<StoredLagMonitor> logger) : BackgroundService
{
    /// <summary>Per partition, the sequence of the first row past the checkpoint as last read (null: none was there).</summary>
    private long?[] _knownWaiting = [];

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
        _knownWaiting = new long?[tracker.Partitions];

        // The first read comes before the gate closes on anything, so a restarted host starts from the stored checkpoints.
        await ReadAsync(tracker, journal, checkpoints, waiting: false, stoppingToken);
        tracker.Watch();
        var interval = TimeSpan.FromMilliseconds(options.Value.StoredLagPollMilliseconds);
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await ReadAsync(tracker, journal, checkpoints, waiting: true, stoppingToken);
        }
    }

    private async Task ReadAsync(StoredLagTracker tracker, IEventJournal journal, IJournalCheckpointStore checkpoints, bool waiting, CancellationToken stoppingToken)
    {
        try
        {
            var read = await Task.WhenAll(Enumerable.Range(0, tracker.Partitions).Select(p => checkpoints.ReadAsync(p, stoppingToken)));
            var now = StoredLagTracker.Now(time);
            for (var p = 0; p < read.Length; p++)
            {
                tracker.Checkpointed(p, read[p], now);
            }

            if (!waiting)
            {
                return;
            }

            var unknown = Enumerable.Range(0, read.Length).Where(p => _knownWaiting[p] != read[p] + 1).ToList();
            var first = await Task.WhenAll(unknown.Select(p => journal.FirstAfterAsync(p, read[p], stoppingToken)));
            var wallNow = time.GetUtcNow();
            now = StoredLagTracker.Now(time);
            for (var i = 0; i < unknown.Count; i++)
            {
                var p = unknown[i];
                _knownWaiting[p] = first[i]?.Sequence;
                if (first[i] is { } row)
                {
                    // Its age by the wall clock (the appender's against ours), carried onto the monotonic scale the gate measures on.
                    var age = wallNow - row.AppendedAt;
                    tracker.Waiting(p, row.Sequence, now - (age > TimeSpan.Zero ? age : TimeSpan.Zero));
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
