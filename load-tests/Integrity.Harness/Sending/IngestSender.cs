using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using HdrHistogram;
using Integrity.Harness.Market;

namespace Integrity.Harness.Sending;

/// <summary>How an <see cref="IngestSender"/> sends. Every run is bounded in events and in time.</summary>
public sealed record SenderOptions
{
    public int Workers { get; init; } = 4;

    public int BatchSize { get; init; } = 1000;

    /// <summary>Target events/s over all workers; null sends as fast as answers come back.</summary>
    public double? EventsPerSecond { get; init; }

    public required long MaxEvents { get; init; }

    /// <summary>No new batch is started after this; batches under way are retried until <see cref="HardStop"/>.</summary>
    public required TimeSpan Duration { get; init; }

    public TimeSpan HardStop { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Events per seller at most (the engine remembers the last 1000 event ids per entity).</summary>
    public int MaxEventsPerSeller { get; init; } = 800;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest Retry-After honored (a test wants to see 503s without waiting the full production value).</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Keep every accepted event id and per-entity counts (tests); off for long benchmark runs.</summary>
    public bool KeepLedger { get; init; } = true;
}

/// <summary>What the sender saw.</summary>
public sealed class SenderStats
{
    private readonly Lock _gate = new();
    private long _requests;
    private long _accepted;
    private long _rejected;
    private long _unavailable;
    private long _throttled;
    private long _transportErrors;
    private long _resentEvents;
    private long _otherFailures;

    /// <summary>Latency of answered 202 requests, microseconds.</summary>
    public LongHistogram Latency { get; } = new(60_000_000, 3);

    public long Requests => Interlocked.Read(ref _requests);

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>503 answers (each carried Retry-After, or the sender fails the run).</summary>
    public long Unavailable => Interlocked.Read(ref _unavailable);

    public long Throttled => Interlocked.Read(ref _throttled);

    /// <summary>Requests that got no answer (connection refused or lost).</summary>
    public long TransportErrors => Interlocked.Read(ref _transportErrors);

    /// <summary>Events sent again after a request got no answer or a 503.</summary>
    public long ResentEvents => Interlocked.Read(ref _resentEvents);

    public long OtherFailures => Interlocked.Read(ref _otherFailures);

    public List<string> Problems { get; } = [];

    internal void Request() => Interlocked.Increment(ref _requests);

    internal void Answered(long micros, int accepted, int rejected)
    {
        Interlocked.Add(ref _accepted, accepted);
        Interlocked.Add(ref _rejected, rejected);
        lock (_gate)
        {
            Latency.RecordValue(Math.Min(micros, Latency.HighestTrackableValue));
        }
    }

    internal void Unavailable503() => Interlocked.Increment(ref _unavailable);

    internal void Throttled429() => Interlocked.Increment(ref _throttled);

    internal void TransportError() => Interlocked.Increment(ref _transportErrors);

    internal void Resent(int events) => Interlocked.Add(ref _resentEvents, events);

    internal void Failed(string problem)
    {
        Interlocked.Increment(ref _otherFailures);
        lock (_gate)
        {
            if (Problems.Count < 20)
            {
                Problems.Add(problem);
            }
        }
    }

    public double LatencyMs(double percentile)
    {
        lock (_gate)
        {
            return Latency.TotalCount == 0 ? double.NaN : Latency.GetValueAtPercentile(percentile) / 1000.0;
        }
    }

    public double MaxLatencyMs()
    {
        lock (_gate)
        {
            return Latency.TotalCount == 0 ? double.NaN : Latency.GetMaxValue() / 1000.0;
        }
    }
}

/// <summary>
/// The sender's ledger: every event answered 202 (and not rejected), per entity, plus the events whose request got
/// no answer and that have not been accepted since (they may or may not be stored). Thread-safe.
/// </summary>
public sealed class EntityLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<EntityKey, long> _perEntity = [];
    private readonly HashSet<string> _accepted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _uncertain = new(StringComparer.Ordinal);
    private readonly HashSet<EntityKey> _sentTo = [];

    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _accepted.Count;
            }
        }
    }

    public void Sending(IEnumerable<SynthEvent> events)
    {
        lock (_gate)
        {
            foreach (var e in events)
            {
                foreach (var entity in e.Touched)
                {
                    _sentTo.Add(entity);
                }
            }
        }
    }

    public void Accept(IEnumerable<SynthEvent> events)
    {
        lock (_gate)
        {
            foreach (var e in events)
            {
                _uncertain.Remove(e.EventId);
                if (!_accepted.Add(e.EventId))
                {
                    continue;
                }

                foreach (var entity in e.Touched)
                {
                    _perEntity[entity] = _perEntity.GetValueOrDefault(entity) + 1;
                }
            }
        }
    }

    public void Unanswered(IEnumerable<SynthEvent> events)
    {
        lock (_gate)
        {
            foreach (var e in events)
            {
                if (!_accepted.Contains(e.EventId))
                {
                    _uncertain.Add(e.EventId);
                }
            }
        }
    }

    public IReadOnlyDictionary<EntityKey, long> PerEntity()
    {
        lock (_gate)
        {
            return new Dictionary<EntityKey, long>(_perEntity);
        }
    }

    /// <summary>Every entity any sent event touches, accepted or not.</summary>
    public IReadOnlySet<EntityKey> SentTo()
    {
        lock (_gate)
        {
            return new HashSet<EntityKey>(_sentTo);
        }
    }

    public IReadOnlySet<string> UncertainIds()
    {
        lock (_gate)
        {
            return new HashSet<string>(_uncertain, StringComparer.Ordinal);
        }
    }
}

/// <summary>
/// Sends a <see cref="SyntheticMarket"/> to <c>POST /v1/events</c> from several workers. Each seller belongs to one
/// worker, which sends its events in order, in NDJSON batches, one request at a time, paced to its share of the rate.
/// A batch that gets no answer (the host died) or a 503/429 is sent again, the same event ids, until it is answered
/// or the hard stop; <see cref="Target"/> may be changed meanwhile (a restarted host listens elsewhere).
/// </summary>
public sealed class IngestSender : IDisposable
{
    private static readonly MediaTypeHeaderValue Ndjson = new("application/x-ndjson");
    private readonly HttpClient _http;
    private int _inFlight;
    private readonly SenderOptions _options;
    private readonly string _apiKey;
    private Uri _target;

    public IngestSender(Uri target, string apiKey, SenderOptions options)
    {
        _target = target;
        _apiKey = apiKey;
        _options = options;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Workers * 2,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public Uri Target
    {
        get => Volatile.Read(ref _target);
        set => Volatile.Write(ref _target, value);
    }

    public EntityLedger Ledger { get; } = new();

    public SenderStats Stats { get; } = new();

    /// <summary>Heard for every accepted batch, with the time its 202 arrived (wall clock).</summary>
    public Action<IReadOnlyList<SynthEvent>, DateTimeOffset>? OnAccepted { get; init; }

    /// <summary>Answered 202 events over time: (seconds since start, events accepted so far), one sample per batch.</summary>
    public long StartedAtTimestamp { get; private set; }

    /// <summary>Requests sent whose answer has not been read yet.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public async Task RunAsync(SyntheticMarket market, CancellationToken cancellationToken = default)
    {
        StartedAtTimestamp = Stopwatch.GetTimestamp();
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        sending.CancelAfter(_options.Duration);
        using var hard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        hard.CancelAfter(_options.HardStop);
        var perWorker = _options.MaxEvents / _options.Workers;
        var workers = Enumerable.Range(0, _options.Workers)
            .Select(w => Task.Run(() => WorkAsync(market, w, perWorker + (w < _options.MaxEvents % _options.Workers ? 1 : 0), sending.Token, hard.Token), CancellationToken.None))
            .ToArray();
        await Task.WhenAll(workers);
    }

    public void Dispose() => _http.Dispose();

    private async Task WorkAsync(SyntheticMarket market, int worker, long quota, CancellationToken sending, CancellationToken hard)
    {
        var sellers = Enumerable.Range(0, market.Options.Sellers).Where(s => s % _options.Workers == worker).ToArray();
        if (sellers.Length == 0)
        {
            return;
        }

        var rate = _options.EventsPerSecond / _options.Workers;
        var started = Stopwatch.GetTimestamp();
        long sent = 0;
        var round = 0;
        var next = 0;
        var batch = new List<SynthEvent>(_options.BatchSize);
        try
        {
            while (sent < quota && round < _options.MaxEventsPerSeller && !sending.IsCancellationRequested)
            {
                batch.Clear();
                while (batch.Count < _options.BatchSize && sent + batch.Count < quota && round < _options.MaxEventsPerSeller)
                {
                    batch.Add(market.Event(sellers[next], round));
                    if (++next == sellers.Length)
                    {
                        next = 0;
                        round++;
                    }
                }

                if (rate is { } r)
                {
                    var ahead = TimeSpan.FromSeconds(sent / r) - Stopwatch.GetElapsedTime(started);
                    if (ahead > TimeSpan.FromMilliseconds(1))
                    {
                        await Task.Delay(ahead, sending);
                    }
                }

                await SendUntilAnsweredAsync(batch, hard);
                sent += batch.Count;
            }
        }
        catch (OperationCanceledException) when (sending.IsCancellationRequested || hard.IsCancellationRequested)
        {
            // Bounded in time: stop here.
        }
    }

    private async Task SendUntilAnsweredAsync(List<SynthEvent> batch, CancellationToken hard)
    {
        var body = SyntheticMarket.Ndjson(batch);
        if (_options.KeepLedger)
        {
            Ledger.Sending(batch);
        }

        for (var attempt = 1; ; attempt++)
        {
            hard.ThrowIfCancellationRequested();
            if (attempt > 1)
            {
                Stats.Resent(batch.Count);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Target, "/v1/events"));
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = Ndjson;
            request.Headers.Add("X-Api-Key", _apiKey);
            Stats.Request();
            var sentAt = Stopwatch.GetTimestamp();
            HttpResponseMessage response;
            Interlocked.Increment(ref _inFlight);
            try
            {
                response = await _http.SendAsync(request, hard);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !hard.IsCancellationRequested))
            {
                Interlocked.Decrement(ref _inFlight);
                Stats.TransportError();
                if (_options.KeepLedger)
                {
                    Ledger.Unanswered(batch);
                }

                await Task.Delay(_options.RetryDelay, hard);
                continue;
            }

            using (response)
            {
                byte[] bytes;
                try
                {
                    bytes = await response.Content.ReadAsByteArrayAsync(hard);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }

                var micros = (long)Stopwatch.GetElapsedTime(sentAt).TotalMicroseconds;
                switch (response.StatusCode)
                {
                    case HttpStatusCode.Accepted:
                        Accepted(batch, bytes, micros);
                        return;
                    case HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests:
                        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                        {
                            Stats.Unavailable503();
                        }
                        else
                        {
                            Stats.Throttled429();
                        }

                        var retryAfter = response.Headers.RetryAfter?.Delta;
                        if (retryAfter is null)
                        {
                            Stats.Failed($"{(int)response.StatusCode} without Retry-After");
                        }

                        var wait = retryAfter is { } d && d < _options.MaxRetryAfter ? d : _options.MaxRetryAfter;
                        await Task.Delay(wait, hard);
                        continue;
                    default:
                        Stats.Failed($"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 300)])}");
                        await Task.Delay(_options.RetryDelay, hard);
                        continue;
                }
            }
        }
    }

    private void Accepted(List<SynthEvent> batch, byte[] answer, long micros)
    {
        var at = DateTimeOffset.UtcNow;
        using var json = JsonDocument.Parse(answer);
        var rejectedLines = new HashSet<int>();
        foreach (var r in json.RootElement.GetProperty("rejected").EnumerateArray())
        {
            rejectedLines.Add(r.GetProperty("line").GetInt32());
        }

        IReadOnlyList<SynthEvent> accepted = rejectedLines.Count == 0 ? batch.ToArray() : [.. batch.Where((_, i) => !rejectedLines.Contains(i + 1))];
        if (rejectedLines.Count > 0)
        {
            Stats.Failed(string.Create(CultureInfo.InvariantCulture, $"{rejectedLines.Count} lines rejected: {json.RootElement.GetProperty("rejected")[0]}"));
        }

        Stats.Answered(micros, accepted.Count, rejectedLines.Count);
        if (_options.KeepLedger)
        {
            Ledger.Accept(accepted);
        }

        OnAccepted?.Invoke(accepted, at);
    }
}
