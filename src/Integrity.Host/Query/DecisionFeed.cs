using System.Collections.Concurrent;
using System.Threading.Channels;
using Integrity.Contracts;
using Integrity.Storage.AzureTables.Index;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace Integrity.Host.Query;

/// <summary>
/// One subscription per silo to the Orleans decisions stream, fanned out to every open SSE connection. Each
/// connection has its own bounded buffer: a client that falls behind loses its oldest decisions, never slows the
/// others or the engine. Only summaries go out (ids, steps, scores, reason codes): no evidence, no identifiers.
/// </summary>
public sealed partial class DecisionFeed(IClusterClient client, IOptions<QueryApiOptions> options, ILogger<DecisionFeed> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, Channel<IndexedDecision>> _clients = new();
    private long _nextClient;

    /// <summary>True once the feed is subscribed to the decisions stream.</summary>
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stream = client.GetStreamProvider(StreamNames.DecisionsProvider)
            .GetStream<AuditRecord>(StreamId.Create(StreamNames.DecisionsNamespace, StreamNames.DecisionsKey));
        StreamSubscriptionHandle<AuditRecord>? subscription = null;
        for (var attempt = 1; subscription is null && !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                subscription = await stream.SubscribeAsync(OnNextAsync);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSubscribeRetry(logger, attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, attempt)), stoppingToken);
            }
        }

        Live = true;
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
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

            if (subscription is not null)
            {
                try
                {
                    await subscription.UnsubscribeAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The silo may already be stopping; its subscription dies with this client.
                    LogUnsubscribeFailed(logger, e.Message);
                }
            }
        }
    }

    private Task OnNextAsync(AuditRecord record, StreamSequenceToken? token)
    {
        if (!_clients.IsEmpty)
        {
            var summary = IndexFold.Summarize(record);
            foreach (var channel in _clients.Values)
            {
                channel.Writer.TryWrite(summary);
            }
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to the decisions stream failed (attempt {Attempt}), retrying: {Error}")]
    private static partial void LogSubscribeRetry(ILogger logger, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unsubscribing from the decisions stream failed at shutdown: {Error}")]
    private static partial void LogUnsubscribeFailed(ILogger logger, string error);
}
