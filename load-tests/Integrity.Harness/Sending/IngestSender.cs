using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Integrity.Client;
using Integrity.Harness.Ledger;
using Integrity.Harness.Market;

namespace Integrity.Harness.Sending;

/// <summary>
/// Sends a generated stream to <c>POST /v1/events</c> through <see cref="IntegrityClient"/> (batches, gzip, retries on
/// 503/429/5xx and on no answer, honoring Retry-After, else backing off with jitter). A dispatcher walks the stream in
/// event-time order, paced to the target rate, and hands each event to the worker that owns its shard key (its seller,
/// by a stable hash), so one seller's events are sent in order; each worker sends one batch at a time. Every attempt is
/// watched on its way (<see cref="AttemptWatch"/>): latency and status go to <see cref="Stats"/>, and an attempt that gets
/// no answer leaves its events uncertain in the <see cref="Ledger"/> until a later attempt is accepted. Bounded in events
/// (the stream, <see cref="SenderOptions.MaxEvents"/>) and in time (<see cref="SenderOptions.Duration"/>, then at most
/// <see cref="SenderOptions.DrainTimeout"/> for batches under way). <see cref="Target"/> may change meanwhile (a restarted
/// host listens elsewhere; a load balancer turns).
/// </summary>
public sealed class IngestSender : IDisposable
{
    private readonly SenderOptions _options;
    private readonly TimeProvider _time;
    private readonly SocketsHttpHandler _connections;
    private Uri _target;
    private int _inFlight;

    /// <param name="ledger">A ledger to keep (several senders, one after another, may share one); a new one by default.</param>
    public IngestSender(SenderOptions options, TimeProvider? time = null, EventLedger? ledger = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        _options = options;
        _time = time ?? TimeProvider.System;
        _target = options.Target;
        _connections = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };
        Stats = new RunStatistics(_time);
        Ledger = ledger ?? new EventLedger();
    }

    /// <summary>Where the next attempt goes.</summary>
    public Uri Target
    {
        get => Volatile.Read(ref _target);
        set => Volatile.Write(ref _target, value);
    }

    public EventLedger Ledger { get; }

    /// <summary>What was sent and answered; its clock starts when the sender is made.</summary>
    public RunStatistics Stats { get; }

    /// <summary>Requests sent whose answer has not come yet.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public async Task RunAsync(IReadOnlyList<GeneratedEvent> events, CancellationToken cancellationToken = default)
    {
        // Sending stops at the deadline; batches under way may finish until the hard stop.
        using var deadline = new CancellationTokenSource(_options.Duration, _time);
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var hardStop = new CancellationTokenSource(_options.Duration + _options.DrainTimeout, _time);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, hardStop.Token);

        var workers = Enumerable.Range(0, _options.Concurrency).Select(_ => new Worker(this)).ToArray();
        var running = workers.Select(w => Task.Run(() => w.RunAsync(sending.Token, stopping.Token), CancellationToken.None)).ToArray();
        try
        {
            await DispatchAsync(events, workers, sending.Token);
        }
        finally
        {
            foreach (var w in workers)
            {
                w.Queue.Writer.TryComplete();
            }

            await Task.WhenAll(running);
            foreach (var w in workers)
            {
                w.Dispose();
            }
        }
    }

    public void Dispose() => _connections.Dispose();

    /// <summary>Stable across processes (unlike string.GetHashCode), so a seed always shards the same way.</summary>
    public static int ShardOf(string key, int shards)
    {
        var h = 2166136261u;
        foreach (var c in key)
        {
            h = (h ^ c) * 16777619u;
        }

        return (int)(h % (uint)shards);
    }

    private async Task DispatchAsync(IReadOnlyList<GeneratedEvent> events, Worker[] workers, CancellationToken sending)
    {
        var limit = (int)Math.Min(events.Count, _options.MaxEvents ?? long.MaxValue);
        var started = _time.GetTimestamp();
        try
        {
            for (var i = 0; i < limit; i++)
            {
                if (_options.Rate is { } rate)
                {
                    var ahead = TimeSpan.FromSeconds(i / rate) - _time.GetElapsedTime(started);
                    if (ahead > TimeSpan.FromMilliseconds(2)) await Task.Delay(ahead, _time, sending);
                }

                var e = events[i];
                await workers[ShardOf(e.ShardKey, workers.Length)].Queue.Writer.WriteAsync(e, sending);
                Stats.Dispatched();
            }
        }
        catch (OperationCanceledException) when (sending.IsCancellationRequested)
        {
            // The duration is up (or the run was interrupted): stop handing out events.
        }
    }

    /// <summary>One worker: its queue, its client (and the watch on its attempts), the batch it is sending.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly IngestSender _sender;
        private readonly HttpClient _http;
        private readonly IntegrityClient _client;

        public Worker(IngestSender sender)
        {
            _sender = sender;
            var o = sender._options;
            Queue = Channel.CreateBounded<GeneratedEvent>(new BoundedChannelOptions(Math.Max(16, o.Batch * 2)) { SingleWriter = true, SingleReader = true });
            _http = new HttpClient(new AttemptWatch(this) { InnerHandler = sender._connections }, disposeHandler: false)
            {
                BaseAddress = o.Target,
                Timeout = Timeout.InfiniteTimeSpan,
            };
            _client = new IntegrityClient(_http, new IntegrityClientOptions
            {
                ApiKey = o.ApiKey,
                MaxBatchEvents = o.Batch,
                MaxBatchBytes = 8 * 1024 * 1024,
                Gzip = o.Gzip,
                MaxAttempts = o.MaxRetries + 1,
                InitialBackoff = TimeSpan.FromMilliseconds(200),
                MaxBackoff = TimeSpan.FromSeconds(5),
                MaxRetryAfter = o.MaxRetryWait,
                RequestTimeout = o.RequestTimeout,
            }, sender._time);
        }

        public Channel<GeneratedEvent> Queue { get; }

        public List<GeneratedEvent> Batch { get; } = [];

        /// <summary>Attempts at the current batch so far.</summary>
        public int Attempts { get; set; }

        /// <summary>An attempt at the current batch got no answer: the engine may have stored it.</summary>
        public bool Unanswered { get; private set; }

        public IngestSender Sender => _sender;

        public void NoAnswer()
        {
            Unanswered = true;
            foreach (var e in Batch)
            {
                _sender.Ledger.MarkUncertain(e);
            }
        }

        public async Task RunAsync(CancellationToken sending, CancellationToken stopping)
        {
            var stats = _sender.Stats;
            while (await WaitAsync(stopping))
            {
                Batch.Clear();
                await FillAsync(sending);
                if (Batch.Count == 0) continue;
                if (sending.IsCancellationRequested)
                {
                    // Queued after the deadline: never sent, so certainly not accepted.
                    stats.NotSent(Batch.Count);
                    continue;
                }

                (Attempts, Unanswered) = (0, false);
                await SendAsync(stopping);
            }
        }

        private async Task SendAsync(CancellationToken stopping)
        {
            var stats = _sender.Stats;
            try
            {
                var result = await _client.SendLinesAsync(Batch.Select(e => Encoding.UTF8.GetString(e.Line)), stopping);
                Acknowledge(result);
                return;
            }
            catch (IntegrityClientException e)
            {
                // 503/429 to the end and 4xx refuse the batch as a whole: nothing of it was stored, unless an earlier attempt got no answer.
                stats.Problem(e.Message);
                if (Unanswered || e.StatusCode is null || ((int)e.StatusCode >= 500 && e.StatusCode != HttpStatusCode.ServiceUnavailable)) Uncertain();
                else stats.GivenUp(Batch.Count);
            }
            catch (Exception e) when (e is JsonException or InvalidDataException)
            {
                // A 202 that cannot be read: the events were stored, but which were rejected is unknown.
                stats.Problem($"unreadable 202: {e.Message}");
                stats.RecordAnswer(0, 0, [], mismatch: true);
                NoAnswer();
                stats.Uncertain(Batch.Count);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // The hard stop: an attempt under way got no answer (uncertain); one waiting to retry was never stored.
                if (Unanswered) stats.Uncertain(Batch.Count);
                else stats.GivenUp(Batch.Count);
            }
        }

        private void Uncertain()
        {
            NoAnswer();
            _sender.Stats.Uncertain(Batch.Count);
        }

        /// <summary>Every event of the batch not named by a rejection was accepted (rejections give 1-based lines of the batch).</summary>
        private void Acknowledge(IngestResult answer)
        {
            var rejected = new bool[Batch.Count];
            foreach (var r in answer.Rejected)
            {
                var index = r.Line - 1;
                if (index < 0 || index >= Batch.Count || (r.EventId is not null && Batch[index].EventId != r.EventId))
                {
                    index = r.EventId is null ? -1 : Batch.FindIndex(e => e.EventId == r.EventId);
                }

                if (index >= 0) rejected[index] = true;
            }

            var now = _sender._time.GetUtcNow();
            var accepted = 0;
            for (var i = 0; i < Batch.Count; i++)
            {
                if (rejected[i]) continue;
                _sender.Ledger.Add(Batch[i], now);
                accepted++;
            }

            _sender.Stats.RecordAnswer(accepted, answer.Duplicates, answer.Rejected, mismatch: answer.Accepted + answer.Duplicates != accepted);
        }

        private async Task<bool> WaitAsync(CancellationToken stopping)
        {
            try
            {
                return await Queue.Reader.WaitToReadAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        /// <summary>Takes what is queued, then waits up to the linger time for the batch to fill.</summary>
        private async Task FillAsync(CancellationToken sending)
        {
            var time = _sender._time;
            var lingerStart = time.GetTimestamp();
            while (Batch.Count < _sender._options.Batch)
            {
                if (Queue.Reader.TryRead(out var e))
                {
                    Batch.Add(e);
                    continue;
                }

                var left = _sender._options.Linger - time.GetElapsedTime(lingerStart);
                if (left <= TimeSpan.Zero || sending.IsCancellationRequested) return;
                using var lingerTimer = new CancellationTokenSource(left, time);
                using var linger = CancellationTokenSource.CreateLinkedTokenSource(sending, lingerTimer.Token);
                try
                {
                    if (!await Queue.Reader.WaitToReadAsync(linger.Token)) return;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        public void Dispose() => _http.Dispose();
    }

    /// <summary>
    /// Sits between the client and the connections: sends each attempt to the current <see cref="Target"/>, counts it in
    /// flight, and records its latency and status (or that it got no answer, which makes its batch uncertain).
    /// </summary>
    private sealed class AttemptWatch(Worker worker) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var sender = worker.Sender;
            request.RequestUri = new Uri(sender.Target, request.RequestUri!.PathAndQuery);
            var retry = worker.Attempts++ > 0;
            var started = sender._time.GetTimestamp();
            Interlocked.Increment(ref sender._inFlight);
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                var status = (int)response.StatusCode;
                sender.Stats.RecordRequest(status.ToString(System.Globalization.CultureInfo.InvariantCulture), sender._time.GetElapsedTime(started), worker.Batch.Count, retry);
                if (status is 503 or 429 && response.Headers.RetryAfter is null) sender.Stats.Problem($"{status} without Retry-After");
                else if (status is >= 500 and not 503) sender.Stats.Problem($"{status} {response.ReasonPhrase}");
                return response;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                sender.Stats.RecordRequest("error", sender._time.GetElapsedTime(started), worker.Batch.Count, retry);
                worker.NoAnswer();
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref sender._inFlight);
            }
        }
    }
}
