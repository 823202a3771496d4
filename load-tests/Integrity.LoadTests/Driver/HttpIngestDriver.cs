using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Integrity.LoadTests.Evaluation;
using Integrity.LoadTests.Marketplace;

namespace Integrity.LoadTests.Driver;

/// <summary>
/// Sends a generated stream to <c>POST /v1/events</c>. A dispatcher walks the stream in event-time order, paced to the
/// target rate, and hands each event to the worker that owns its seller (a stable hash), so one seller's events are
/// sent in order; each worker batches, sends one request at a time, and on 503/429 waits as Retry-After says and
/// resends the same batch (same event ids, so a resend is harmless). Bounded in events (the stream, --events) and
/// in time (--duration, then at most the drain timeout for requests under way).
/// </summary>
public sealed class HttpIngestDriver(HttpClient http, RunOptions options, TimeProvider time)
{
    private static readonly MediaTypeHeaderValue Ndjson = new("application/x-ndjson");

    public async Task RunAsync(IReadOnlyList<GeneratedEvent> events, EventLedger ledger, RunStatistics stats, CancellationToken cancellationToken)
    {
        // Sending stops at the deadline; requests under way may finish until the hard stop.
        using var deadline = new CancellationTokenSource(options.Duration, time);
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var hardStop = new CancellationTokenSource(options.Duration + options.DrainTimeout, time);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, hardStop.Token);

        var channels = Enumerable.Range(0, options.Concurrency)
            .Select(_ => Channel.CreateBounded<GeneratedEvent>(new BoundedChannelOptions(Math.Max(16, options.Batch * 2)) { SingleWriter = true }))
            .ToArray();
        var workers = channels.Select(c => Task.Run(() => WorkAsync(c.Reader, ledger, stats, sending.Token, stopping.Token), CancellationToken.None)).ToArray();
        try
        {
            await DispatchAsync(events, channels, stats, sending.Token);
        }
        finally
        {
            foreach (var c in channels)
            {
                c.Writer.TryComplete();
            }

            await Task.WhenAll(workers);
        }
    }

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

    private async Task DispatchAsync(IReadOnlyList<GeneratedEvent> events, Channel<GeneratedEvent>[] channels, RunStatistics stats, CancellationToken sending)
    {
        var limit = (int)Math.Min(events.Count, options.MaxEvents ?? long.MaxValue);
        var started = time.GetTimestamp();
        try
        {
            for (var i = 0; i < limit; i++)
            {
                if (options.Rate is { } rate)
                {
                    var ahead = TimeSpan.FromSeconds(i / rate) - time.GetElapsedTime(started);
                    if (ahead > TimeSpan.FromMilliseconds(2)) await Task.Delay(ahead, time, sending);
                }

                var e = events[i];
                await channels[ShardOf(e.ShardKey, channels.Length)].Writer.WriteAsync(e, sending);
                stats.Dispatched();
            }
        }
        catch (OperationCanceledException) when (sending.IsCancellationRequested)
        {
            // The duration is up (or the run was interrupted): stop handing out events.
        }
    }

    private async Task WorkAsync(ChannelReader<GeneratedEvent> reader, EventLedger ledger, RunStatistics stats, CancellationToken sending, CancellationToken stopping)
    {
        var batch = new List<GeneratedEvent>(options.Batch);
        while (await WaitAsync(reader, stopping))
        {
            batch.Clear();
            await FillAsync(reader, batch, sending);
            if (batch.Count == 0) continue;
            if (sending.IsCancellationRequested)
            {
                // Queued after the deadline: never sent, so certainly not accepted.
                stats.NotSent(batch.Count);
                continue;
            }

            await SendAsync(batch, ledger, stats, stopping);
        }
    }

    private static async Task<bool> WaitAsync(ChannelReader<GeneratedEvent> reader, CancellationToken stopping)
    {
        try
        {
            return await reader.WaitToReadAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Takes what is queued, then waits up to the linger time for the batch to fill.</summary>
    private async Task FillAsync(ChannelReader<GeneratedEvent> reader, List<GeneratedEvent> batch, CancellationToken sending)
    {
        var lingerStart = time.GetTimestamp();
        while (batch.Count < options.Batch)
        {
            if (reader.TryRead(out var e))
            {
                batch.Add(e);
                continue;
            }

            var left = options.Linger - time.GetElapsedTime(lingerStart);
            if (left <= TimeSpan.Zero || sending.IsCancellationRequested) return;
            using var lingerTimer = new CancellationTokenSource(left, time);
            using var linger = CancellationTokenSource.CreateLinkedTokenSource(sending, lingerTimer.Token);
            try
            {
                if (!await reader.WaitToReadAsync(linger.Token)) return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SendAsync(List<GeneratedEvent> batch, EventLedger ledger, RunStatistics stats, CancellationToken stopping)
    {
        var body = Body(batch);
        for (var attempt = 0; ; attempt++)
        {
            var started = time.GetTimestamp();
            HttpStatusCode status;
            string text;
            RetryConditionHeaderValue? retryAfter;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Target, "/v1/events")) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = Ndjson;
                if (options.Gzip) request.Content.Headers.ContentEncoding.Add("gzip");
                request.Headers.Add("X-Api-Key", options.ApiKey);
                using var timer = new CancellationTokenSource(options.RequestTimeout, time);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping, timer.Token);
                using var response = await http.SendAsync(request, timeout.Token);
                text = await response.Content.ReadAsStringAsync(timeout.Token);
                status = response.StatusCode;
                retryAfter = response.Headers.RetryAfter;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                // No answer: the engine may have stored the batch. Resending is safe (same ids); giving up leaves it uncertain.
                stats.RecordRequest("error", time.GetElapsedTime(started), batch.Count, attempt > 0);
                if (stopping.IsCancellationRequested || attempt >= options.MaxRetries || !await BackOffAsync(Backoff(attempt), stopping))
                {
                    Uncertain(batch, ledger, stats);
                    return;
                }

                continue;
            }

            stats.RecordRequest(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), time.GetElapsedTime(started), batch.Count, attempt > 0);
            if (status is HttpStatusCode.Accepted or HttpStatusCode.OK)
            {
                Acknowledge(batch, text, ledger, stats);
                return;
            }

            if (status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
            {
                // Refused as a whole: nothing of it was stored, so giving up is certain, and a resend is what the engine asks for.
                var wait = IngestAnswer.RetryAfter(retryAfter, time.GetUtcNow(), options.MaxRetryWait);
                if (attempt < options.MaxRetries && await BackOffAsync(wait, stopping)) continue;
                stats.GivenUp(batch.Count);
                return;
            }

            if ((int)status >= 500)
            {
                // A server error says nothing about what was stored: retry, and stay uncertain if it never answers properly.
                if (attempt < options.MaxRetries && await BackOffAsync(Backoff(attempt), stopping)) continue;
                Uncertain(batch, ledger, stats);
                return;
            }

            // 4xx: the request itself is wrong (key, size, media type); resending cannot help and nothing was accepted.
            stats.GivenUp(batch.Count);
            return;
        }
    }

    /// <summary>Every event of the batch not named by a rejection was accepted; rejected lines are 1-based line numbers of the body.</summary>
    private void Acknowledge(List<GeneratedEvent> batch, string text, EventLedger ledger, RunStatistics stats)
    {
        var answer = IngestAnswer.TryParse(text);
        if (answer is null)
        {
            // A 202 we cannot read: the events were stored, but which were rejected is unknown.
            stats.RecordAnswer(0, 0, [], mismatch: true);
            Uncertain(batch, ledger, stats);
            return;
        }

        var rejected = new bool[batch.Count];
        foreach (var r in answer.Rejected)
        {
            var index = r.Line - 1;
            if (index < 0 || index >= batch.Count || (r.EventId is not null && batch[index].EventId != r.EventId))
            {
                index = r.EventId is null ? -1 : batch.FindIndex(e => e.EventId == r.EventId);
            }

            if (index >= 0) rejected[index] = true;
        }

        var now = time.GetUtcNow();
        var accepted = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (rejected[i]) continue;
            ledger.Add(batch[i], now);
            accepted++;
        }

        stats.RecordAnswer(accepted, answer.Duplicates, answer.Rejected, mismatch: answer.Accepted + answer.Duplicates != accepted);
    }

    private static void Uncertain(List<GeneratedEvent> batch, EventLedger ledger, RunStatistics stats)
    {
        foreach (var e in batch)
        {
            ledger.MarkUncertain(e);
        }

        stats.Uncertain(batch.Count);
    }

    private async Task<bool> BackOffAsync(TimeSpan wait, CancellationToken stopping)
    {
        try
        {
            if (wait > TimeSpan.Zero) await Task.Delay(wait, time, stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Exponential from 200 ms, capped at 5 s, with jitter so workers do not retry in lockstep.</summary>
    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(5000, 200 * Math.Pow(2, attempt)) * (0.75 + (Random.Shared.NextDouble() * 0.5)));

    private byte[] Body(List<GeneratedEvent> batch)
    {
        using var buffer = new MemoryStream(batch.Count * 400);
        using (Stream target = options.Gzip ? new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true) : buffer)
        {
            foreach (var e in batch)
            {
                target.Write(e.Line);
                target.WriteByte((byte)'\n');
            }
        }

        return buffer.ToArray();
    }
}
