using System.Collections.Concurrent;
using System.Threading.Channels;
using Integrity.Contracts;
using Integrity.Storage.AzureTables.Index;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Query;

/// <summary>
/// This silo's live feed: registered with the cluster's feed registry, it receives every audited decision of the
/// cluster (pushed by the silo that made it) and fans it out to every open SSE connection here. Each
/// connection has its own bounded buffer: a client that falls behind loses its oldest decisions, never slows the
/// others or the engine. Only summaries go out (ids, steps, scores, reason codes): no evidence, no identifiers.
/// </summary>
public sealed partial class DecisionFeed(IClusterClient client, IOptions<QueryApiOptions> options, ILogger<DecisionFeed> logger) : BackgroundService, IDecisionObserver
{
    private readonly ConcurrentDictionary<long, Channel<IndexedDecision>> _clients = new();
    private long _nextClient;

    /// <summary>True while the feed is registered with the cluster's feed registry.</summary>
    public bool Live { get; private set; }

    public int Clients => _clients.Count;

    /// <summary>A new listener, or null when the silo already serves <see cref="QueryApiOptions.MaxStreamClients"/>.</summary>
    public Listener? Listen()
    {
        if (_clients.Count >= options.Value.MaxStreamClients)
        {
            return null;
        }

        var channel = Channel.CreateBounded<IndexedDecision>(new BoundedChannelOptions(options.Value.StreamBufferPerClient)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var id = Interlocked.Increment(ref _nextClient);
        _clients[id] = channel;
        return new Listener(this, id, channel.Reader);
    }

    public sealed class Listener(DecisionFeed feed, long id, ChannelReader<IndexedDecision> reader) : IDisposable
    {
        public ChannelReader<IndexedDecision> Reader { get; } = reader;

        public void Dispose() => feed._clients.TryRemove(id, out _);
    }

    /// <summary>How long a registration holds; renewed three times as often.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var registry = client.GetGrain<IDecisionFeedRegistryGrain>(IDecisionFeedRegistryGrain.Key);
        var self = client.CreateObjectReference<IDecisionObserver>(this);
        try
        {
            for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
            {
                try
                {
                    await registry.RegisterAsync(self, Lease);
                    Live = true;
                    attempt = 0;
                    await Task.Delay(Lease / 3, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The registry may be moving to another silo; decisions keep coming while the lease runs.
                    LogSubscribeRetry(logger, attempt, e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            Live = false;
            foreach (var channel in _clients.Values)
            {
                channel.Writer.TryComplete();
            }

            try
            {
                await registry.UnregisterAsync(self).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The silo may already be stopping; the lease runs out by itself.
                LogUnsubscribeFailed(logger, e.Message);
            }

            client.DeleteObjectReference<IDecisionObserver>(self);
        }
    }

    public Task OnDecisionsAsync(IReadOnlyList<AuditRecord> records)
    {
        if (!_clients.IsEmpty)
        {
            foreach (var record in records)
            {
                var summary = IndexFold.Summarize(record);
                foreach (var channel in _clients.Values)
                {
                    channel.Writer.TryWrite(summary);
                }
            }
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering the live feed failed (attempt {Attempt}), retrying: {Error}")]
    private static partial void LogSubscribeRetry(ILogger logger, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unregistering the live feed failed at shutdown: {Error}")]
    private static partial void LogUnsubscribeFailed(ILogger logger, string error);
}
