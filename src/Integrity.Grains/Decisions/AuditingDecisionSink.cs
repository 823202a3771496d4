using System.Threading.Channels;
using Integrity.Contracts;
using Integrity.Contracts.Services;
using Integrity.Grains.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integrity.Grains.Decisions;

/// <summary>
/// Collects audit records from all grains of this silo. Each is pushed at once to every silo's live feed, as the grain
/// made it, and appended to the audit log in batches (one storage transaction per partition instead of one write per
/// decision), independently: the feed never waits on storage, and the audit never on the feeds. A failed append is
/// retried, never dropped; <see cref="FlushAsync"/> (which a checkpoint awaits) waits for everything handed in so far.
/// The feed may so show a decision whose state a crash then loses: the replay from the checkpoint makes it again with
/// the same <see cref="AuditRecord.EntryId"/> (decision ids are deterministic), which is how subscribers dedupe.
/// </summary>
public sealed partial class AuditingDecisionSink(
    IAuditLog audit, IEnumerable<IAuditSubscriber> subscribers, IClusterClient client, IntegrityMetrics metrics, ILogger<AuditingDecisionSink> logger)
    : BackgroundService, IDecisionSink
{
    private const int MaxBatch = 1000;

    private readonly IAuditSubscriber[] _subscribers = [.. subscribers];

    private IReadOnlyList<IDecisionObserver> _feeds = [];

    /// <summary>Records waiting for the live feeds; under a flood the oldest go (the feeds' own buffers drop too).</summary>
    private const int MaxLiveBacklog = 100_000;

    private readonly Channel<AuditRecord> _queue = Channel.CreateUnbounded<AuditRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<AuditRecord> _live = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(MaxLiveBacklog)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropOldest,
    });
    private readonly WriteProgress _progress = new();
    private long _handedIn;

    public void Publish(AuditRecord record)
    {
        Interlocked.Increment(ref _handedIn);
        _live.Writer.TryWrite(record);
        _queue.Writer.TryWrite(record);
    }

    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        _progress.WaitAsync(Interlocked.Read(ref _handedIn), cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(DrainAsync(_queue.Reader, AuditAsync, stoppingToken), DrainAsync(_live.Reader, (batch, _) => PublishLiveAsync([.. batch]), stoppingToken));

    /// <summary>Hands the records over in batches of up to <see cref="MaxBatch"/>, as they come, until shutdown.</summary>
    private static async Task DrainAsync(ChannelReader<AuditRecord> reader, Func<List<AuditRecord>, CancellationToken, Task> handle, CancellationToken stoppingToken)
    {
        var batch = new List<AuditRecord>(MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var record))
                {
                    batch.Add(record);
                }

                await handle(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whatever is not written is re-derived by replay from the journal checkpoint.
        }
    }

    private async Task AuditAsync(List<AuditRecord> batch, CancellationToken stoppingToken)
    {
        await WriteWithRetryAsync(batch, stoppingToken);
        foreach (var record in batch.Where(r => r.Kind == "decision"))
        {
            metrics.Decision(record.EntityKind, record.Step);
        }

        _progress.Advance(batch.Count);
    }

    private async Task WriteWithRetryAsync(List<AuditRecord> batch, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await audit.AppendAsync(batch, stoppingToken);

                // Told only once the batch is durable (webhooks carry audited decisions only); a failure retries the batch.
                foreach (var subscriber in _subscribers)
                {
                    await subscriber.AuditedAsync(batch, stoppingToken);
                }

                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Any failure but shutdown is retried, a storage timeout (TaskCanceledException) included: were this loop
                // to end, every checkpoint of the silo would wait on FlushAsync for ever.
                LogAppendRetry(logger, batch.Count, attempt, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 200 * attempt)), stoppingToken);
            }
        }
    }

    private async Task PublishLiveAsync(AuditRecord[] records)
    {
        try
        {
            // Read for every batch (a batch holds up to a thousand records): a feed registered before a decision is
            // made receives it.
            _feeds = await ObserverRegistry.Of<IDecisionObserver>(client).GetObserversAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Keep the feeds read last time (the registry may be moving after a silo loss).
            LogPublishFailed(logger, records.Length, e.Message);
        }

        foreach (var feed in _feeds)
        {
            try
            {
                // One-way: a slow or dead silo's feed does not hold up the audit.
                await feed.OnDecisionsAsync(records);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPublishFailed(logger, records.Length, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit append of {Count} records failed (attempt {Attempt}), retrying: {Error}")]
    private static partial void LogAppendRetry(ILogger logger, int count, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing {Count} decisions to the live feeds failed: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, int count, string error);
}
