using System.Collections.Concurrent;
using System.Threading.Channels;
using Integrity.Contracts;
using Integrity.Host.Security;
using Integrity.Storage.AzureTables.Index;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace Integrity.Host.Query;

/// <summary>
/// One subscription per silo to the Orleans decisions stream, fanned out to every open SSE connection. Each
/// connection has its own bounded buffer: a client that falls behind loses its oldest decisions, never slows the
/// others or the engine. Only summaries go out (ids, steps, scores, reason codes): no evidence, no identifiers.
/// Connections are counted per silo and per API key (by its hash prefix, stream tickets included), and a connection
/// ends when its key is removed from configuration.
/// </summary>
public sealed partial class DecisionFeed : BackgroundService
{
    private readonly ConcurrentDictionary<long, Client> _clients = new();
    private readonly Lock _opening = new();
    private readonly IClusterClient _client;
    private readonly IOptions<QueryApiOptions> _options;
    private readonly ApiKeyStore _keys;
    private readonly ILogger<DecisionFeed> _logger;
    private long _nextClient;

    public DecisionFeed(IClusterClient client, IOptions<QueryApiOptions> options, ApiKeyStore keys, ILogger<DecisionFeed> logger)
    {
        _client = client;
        _options = options;
        _keys = keys;
        _logger = logger;
        keys.Changed += EndRevoked;
    }

    /// <summary>Why <see cref="Listen"/> gave no listener.</summary>
    public enum Refusal
    {
        None,
        SiloFull,
        KeyFull,
    }

    private sealed record Client(Channel<IndexedDecision> Channel, string KeyHash, CancellationTokenSource Ended);

    /// <summary>True once the feed is subscribed to the decisions stream.</summary>
    public bool Live { get; private set; }

    public int Clients => _clients.Count;

    /// <summary>
    /// A new listener for the key with hash prefix <paramref name="keyHash"/>, or null with the reason when the silo
    /// already serves <see cref="QueryApiOptions.MaxStreamClients"/> or the key <see cref="QueryApiOptions.MaxStreamClientsPerKey"/>.
    /// </summary>
    public (Listener? Listener, Refusal Refusal) Listen(string keyHash)
    {
        var options = _options.Value;
        var channel = Channel.CreateBounded<IndexedDecision>(new BoundedChannelOptions(options.StreamBufferPerClient)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        long id;
        var client = new Client(channel, keyHash, new CancellationTokenSource());
        lock (_opening)
        {
            if (_clients.Count >= options.MaxStreamClients)
            {
                client.Ended.Dispose();
                return (null, Refusal.SiloFull);
            }

            if (_clients.Values.Count(c => c.KeyHash == keyHash) >= options.MaxStreamClientsPerKey)
            {
                client.Ended.Dispose();
                return (null, Refusal.KeyFull);
            }

            id = Interlocked.Increment(ref _nextClient);
            _clients[id] = client;
        }

        // A key removed between its authentication and now: the connection ends at once.
        if (!_keys.IsConfigured(keyHash))
        {
            client.Ended.Cancel();
        }

        return (new Listener(this, id, channel.Reader, client.Ended.Token), Refusal.None);
    }

    public sealed class Listener(DecisionFeed feed, long id, ChannelReader<IndexedDecision> reader, CancellationToken ended) : IDisposable
    {
        public ChannelReader<IndexedDecision> Reader { get; } = reader;

        /// <summary>Cancelled when the key this connection was opened with is no longer configured.</summary>
        public CancellationToken Ended { get; } = ended;

        public void Dispose()
        {
            if (feed._clients.TryRemove(id, out var client))
            {
                client.Ended.Dispose();
            }
        }
    }

    private void EndRevoked()
    {
        var ended = 0;
        foreach (var client in _clients.Values)
        {
            if (!_keys.IsConfigured(client.KeyHash))
            {
                try
                {
                    client.Ended.Cancel();
                    ended++;
                }
                catch (ObjectDisposedException)
                {
                    // That connection was closing anyway.
                }
            }
        }

        if (ended > 0)
        {
            LogRevokedEnded(_logger, ended);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stream = _client.GetStreamProvider(StreamNames.DecisionsProvider)
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
                LogSubscribeRetry(_logger, attempt, e.Message);
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
            foreach (var c in _clients.Values)
            {
                c.Channel.Writer.TryComplete();
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
                    LogUnsubscribeFailed(_logger, e.Message);
                }
            }
        }
    }

    private Task OnNextAsync(AuditRecord record, StreamSequenceToken? token)
    {
        if (!_clients.IsEmpty)
        {
            var summary = IndexFold.Summarize(record);
            foreach (var c in _clients.Values)
            {
                c.Channel.Writer.TryWrite(summary);
            }
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to the decisions stream failed (attempt {Attempt}), retrying: {Error}")]
    private static partial void LogSubscribeRetry(ILogger logger, int attempt, string error);

    public override void Dispose()
    {
        _keys.Changed -= EndRevoked;
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ended {Count} live feed connection(s) whose API key was removed from configuration")]
    private static partial void LogRevokedEnded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unsubscribing from the decisions stream failed at shutdown: {Error}")]
    private static partial void LogUnsubscribeFailed(ILogger logger, string error);
}
