using System.Threading.Channels;
using Integrity.Contracts;
using Integrity.Contracts.Services;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integrity.Grains.Decisions;

/// <summary>
/// Where entity grains hand the candidate policy's would-be decisions: appended to their own table in batches, and to
/// nothing else (not the audit trail, so no webhook; not the live feed). <see cref="FlushAsync(long, CancellationToken)"/>, which an entity's
/// state write awaits, completes once everything handed in is durable, so stored state never holds a shadow step whose
/// row is missing; a replay makes the same row again (deterministic ids, idempotent writes). Each record is numbered,
/// so an entity waits for its own last one only, not for a sink that other grains keep busy.
/// </summary>
public sealed partial class ShadowDecisionSink(IShadowDecisionLog log, ILogger<ShadowDecisionSink> logger) : BackgroundService
{
    private const int MaxBatch = 1000;

    private readonly Channel<AuditRecord> _queue = Channel.CreateUnbounded<AuditRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _publishLock = new();
    private readonly WriteProgress _progress = new();
    private long _handedIn;

    /// <returns>The record's sequence number: it is durable once <see cref="Written"/> says so.</returns>
    public long Publish(AuditRecord record)
    {
        // Numbered and queued together, so the queue's order is the numbers' order and "written through n" holds.
        lock (_publishLock)
        {
            var sequence = ++_handedIn;
            _queue.Writer.TryWrite(record);
            return sequence;
        }
    }

    /// <summary>Whether every record through <paramref name="sequence"/> is durable.</summary>
    public bool Written(long sequence) => _progress.Reached(sequence);

    /// <summary>Completes once every record through <paramref name="target"/> is durable.</summary>
    public Task FlushAsync(long target, CancellationToken cancellationToken = default) => _progress.WaitAsync(target, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditRecord>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var record))
                {
                    batch.Add(record);
                }

                await AppendWithRetryAsync(batch, stoppingToken);
                _progress.Advance(batch.Count);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the states these rows belong to are not written either; the replay makes them again.
        }
    }

    private async Task AppendWithRetryAsync(List<AuditRecord> batch, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await log.AppendAsync(batch, stoppingToken);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Retried, never dropped: the entities' state writes wait on this.
                LogAppendRetry(logger, batch.Count, attempt, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 200 * attempt)), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shadow decision append of {Count} records failed (attempt {Attempt}), retrying: {Error}")]
    private static partial void LogAppendRetry(ILogger logger, int count, int attempt, string error);
}
