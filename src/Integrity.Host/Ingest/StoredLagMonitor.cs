using Integrity.Contracts.Services;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Ingest;

/// <summary>
/// Reads the durable partition checkpoints every <see cref="IngestOptions.StoredLagPollMilliseconds"/> into the
/// <see cref="StoredLagTracker"/>. A process without the checkpoint store (an ingest-only app with no silo) does not gate.
/// </summary>
public sealed partial class StoredLagMonitor(
    StoredLagTracker tracker,
    IServiceProvider services,
    IOptions<IngestOptions> options,
    TimeProvider time,
    ILogger<StoredLagMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IJournalCheckpointStore>() is not { } checkpoints)
        {
            return;
        }

        // The first read comes before the gate closes on anything, so a restarted host starts from the stored checkpoints.
        await ReadAsync(checkpoints, stoppingToken);
        tracker.Watch();
        var interval = TimeSpan.FromMilliseconds(options.Value.StoredLagPollMilliseconds);
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await ReadAsync(checkpoints, stoppingToken);
        }
    }

    private async Task ReadAsync(IJournalCheckpointStore checkpoints, CancellationToken stoppingToken)
    {
        try
        {
            var read = await Task.WhenAll(Enumerable.Range(0, tracker.Partitions).Select(p => checkpoints.ReadAsync(p, stoppingToken)));
            var now = StoredLagTracker.Now(time);
            for (var p = 0; p < read.Length; p++)
            {
                tracker.Checkpointed(p, read[p], now);
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
