using System.Collections.Concurrent;
using System.Threading.Channels;
using Integrity.Contracts;
using Integrity.Host.Security;
using Integrity.Storage.AzureTables.Index;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Query;

/// <summary>
/// This silo's live feed: registered with the cluster's feed registry, it receives every audited decision of the
/// cluster (pushed by the silo that made it) and fans it out to every open SSE connection here. Each
/// connection has its own bounded buffer: a client that falls behind loses its oldest decisions, never slows the
/// others or the engine. Only summaries go out (ids, steps, scores, reason codes): no evidence, no identifiers.
/// Connections are counted per silo and per API key (by its hash prefix, stream tickets included), and a connection
/// ends when its key is removed from configuration.
/// </summary>
public sealed partial class DecisionFeed : BackgroundService, IDecisionObserver
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

    /// <summary>True while the feed is registered with the cluster's feed registry.</summary>
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

    /// <summary>How long a registration holds; renewed three times as often.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var registry = _client.GetGrain<IDecisionFeedRegistryGrain>(IDecisionFeedRegistryGrain.Key);
        var self = _client.CreateObjectReference<IDecisionObserver>(this);
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
                    LogSubscribeRetry(_logger, attempt, e.Message);
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
            foreach (var c in _clients.Values)
            {
                c.Channel.Writer.TryComplete();
            }

            try
            {
                await registry.UnregisterAsync(self).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The silo may already be stopping; the lease runs out by itself.
                LogUnsubscribeFailed(_logger, e.Message);
            }

            _client.DeleteObjectReference<IDecisionObserver>(self);
        }
    }

    public Task OnDecisionsAsync(IReadOnlyList<AuditRecord> records)
    {
        if (!_clients.IsEmpty)
        {
            foreach (var record in records)
            {
                var summary = IndexFold.Summarize(record);
                foreach (var c in _clients.Values)
                {
                    c.Channel.Writer.TryWrite(summary);
                }
            }
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering the live feed failed (attempt {Attempt}), retrying: {Error}")]
    private static partial void LogSubscribeRetry(ILogger logger, int attempt, string error);

    public override void Dispose()
    {
        _keys.Changed -= EndRevoked;
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ended {Count} live feed connection(s) whose API key was removed from configuration")]
    private static partial void LogRevokedEnded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unregistering the live feed failed at shutdown: {Error}")]
    private static partial void LogUnsubscribeFailed(ILogger logger, string error);
}
