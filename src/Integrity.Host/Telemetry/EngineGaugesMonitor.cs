using Integrity.Contracts.Services;
using Integrity.Grains.Telemetry;
using Integrity.Host.Ingest;
using Integrity.Storage.AzureTables.Journal;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Telemetry;

/// <summary>
/// Feeds the gauges whose numbers live outside the instruments: the stored lag (from the ingest's
/// <see cref="StoredLagTracker"/>) and the journal heads of the partitions consumed on this silo, read every
/// <see cref="TelemetryOptions.BacklogPollInterval"/> (the consumers report what they dispatched themselves).
/// </summary>
public sealed partial class EngineGaugesMonitor(
    IntegrityMetrics metrics,
    IServiceProvider services,
    IOptions<TelemetryOptions> options,
    TimeProvider time,
    ILogger<EngineGaugesMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<StoredLagTracker>() is { } tracker)
        {
            metrics.ObserveStoredLag(() => tracker.Lag(StoredLagTracker.Now(time)).TotalSeconds);
        }

        if (services.GetService<IEventJournal>() is not { } journal)
        {
            return;
        }

        // A head is read again only after an append to its partition was signalled (an idle engine reads nothing).
        var readAt = services.GetService<JournalWakeSignals>() is { } signals ? new AppendWatermark(signals) : null;
        using var timer = new PeriodicTimer(options.Value.BacklogPollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var partition in metrics.LocalPartitions)
            {
                if (readAt?.Moved(partition) == false)
                {
                    continue;
                }

                var appends = readAt?.Count(partition) ?? 0;

                try
                {
                    metrics.JournalHead(partition, await journal.HeadAsync(partition, stoppingToken));
                    readAt?.Mark(partition, appends);
                }
                catch (Exception e) when (e is Azure.RequestFailedException or AggregateException or IOException or TimeoutException)
                {
                    // Storage down: the gauge keeps the last head it knew; the health checks say why.
                    LogHeadUnreadable(logger, partition, e.Message.Split('\n', 2)[0]);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Backlog gauge: the journal head of partition {Partition} is not readable: {Error}")]
    private static partial void LogHeadUnreadable(ILogger logger, int partition, string error);
}
