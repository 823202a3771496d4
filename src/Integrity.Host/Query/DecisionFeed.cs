using System.Collections.Concurrent;
using System.Threading.Channels;
using Integrity.Contracts;
using Integrity.Grains.Cluster;
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

    private ObserverLease<IDecisionObserver>? _lease;

    /// <summary>True while the feed is registered with the cluster's feed registry.</summary>
    public bool Live => _lease?.Live ?? false;

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
        _lease = new ObserverLease<IDecisionObserver>(_client, this, _logger);
        try
        {
            await _lease.HoldAsync(stoppingToken);
        }
        finally
        {
            foreach (var c in _clients.Values)
            {
                c.Channel.Writer.TryComplete();
            }
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

    public override void Dispose()
    {
        _keys.Changed -= EndRevoked;
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ended {Count} live feed connection(s) whose API key was removed from configuration")]
    private static partial void LogRevokedEnded(ILogger logger, int count);

}
