using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Integrity.Client;

/// <summary>
/// Publishes events to an Integrity engine (<c>POST /v1/events</c>) as gzip NDJSON batches. Each batch is retried
/// on 503, 429, 408, other 5xx (not 501, 505), timeouts and network errors, honoring Retry-After and otherwise backing
/// off exponentially with jitter, up to <see cref="IntegrityClientOptions.MaxAttempts"/> (a Polly resilience pipeline). Retrying is safe: the engine
/// applies each event id once. Thread-safe; give it an HttpClient whose BaseAddress is the engine.
/// </summary>
public sealed class IntegrityClient
{
    private static readonly JsonSerializerOptions WireJson = new(JsonSerializerDefaults.Web) { WriteIndented = false };
    private static readonly MediaTypeHeaderValue Ndjson = new("application/x-ndjson");

    private readonly HttpClient _http;
    private readonly IntegrityClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<Attempt> _pipeline;

    public IntegrityClient(HttpClient http, IntegrityClientOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _options = options;
        _time = time ?? TimeProvider.System;
        _pipeline = BuildPipeline(options, _time);
    }

    /// <summary>Sends wire events (JSON objects as documented for <c>POST /v1/events</c>).</summary>
    public Task<IngestResult> SendAsync(IEnumerable<JsonObject> events, CancellationToken cancellationToken = default) =>
        SendLinesAsync(events.Select(e => e.ToJsonString(WireJson)), cancellationToken);

    /// <summary>Sends events of your own type, serialized with System.Text.Json (web defaults when <paramref name="serializerOptions"/> is null).</summary>
    public Task<IngestResult> SendAsync<T>(IEnumerable<T> events, JsonSerializerOptions? serializerOptions, CancellationToken cancellationToken = default)
    {
        var json = serializerOptions is null ? WireJson : new JsonSerializerOptions(serializerOptions) { WriteIndented = false };
        return SendLinesAsync(events.Select(e => JsonSerializer.Serialize(e, json)), cancellationToken);
    }

    /// <summary>Sends events already serialized, one JSON object per string (no line breaks inside).</summary>
    public async Task<IngestResult> SendLinesAsync(IEnumerable<string> lines, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var total = IngestResult.Empty;
        var batch = new List<string>();
        var batchBytes = 0;
        var sent = 0;
        foreach (var line in lines)
        {
            if (line.Contains('\n', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Event {sent + batch.Count + 1} contains a line break; each event must be one line of JSON.", nameof(lines));
            }

            var bytes = Encoding.UTF8.GetByteCount(line) + 1;
            if (batch.Count > 0 && (batch.Count >= _options.MaxBatchEvents || batchBytes + bytes > _options.MaxBatchBytes))
            {
                total = total.Add(await SendBatchAsync(batch, sent, total, cancellationToken));
                sent += batch.Count;
                batch.Clear();
                batchBytes = 0;
            }

            batch.Add(line);
            batchBytes += bytes;
        }

        if (batch.Count > 0)
        {
            total = total.Add(await SendBatchAsync(batch, sent, total, cancellationToken));
        }

        return total;
    }

    private async Task<IngestResult> SendBatchAsync(List<string> lines, int offset, IngestResult completed, CancellationToken cancellationToken)
    {
        var body = Encode(lines);
        var attempts = 0;
        Attempt last;
        try
        {
            last = await _pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    using var request = CreateRequest(body);
                    using var response = await _http.SendAsync(request, token);
                    if (response.IsSuccessStatusCode)
                    {
                        return new Attempt(response.StatusCode, await ReadResultAsync(response, offset, token), null, null);
                    }

                    var detail = await ProblemDetailAsync(response, token);
                    if (!IsRetryable(response.StatusCode))
                    {
                        throw new IntegrityClientException(
                            $"The engine refused the batch of events {offset + 1}..{offset + lines.Count}: {(int)response.StatusCode} {detail}",
                            response.StatusCode, attempts, completed);
                    }

                    return new Attempt(response.StatusCode, null, $"{(int)response.StatusCode} {detail}", RetryAfter(response));
                },
                cancellationToken);
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            var failure = e is TimeoutRejectedException ? $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s" : e.Message;
            throw GaveUp(lines, offset, attempts, failure, null, completed, e);
        }

        return last.Result ?? throw GaveUp(lines, offset, attempts, last.Failure ?? "", last.Status, completed, null);
    }

    private static IntegrityClientException GaveUp(List<string> lines, int offset, int attempts, string failure, HttpStatusCode? status, IngestResult completed, Exception? error) =>
        new($"Gave up on the batch of events {offset + 1}..{offset + lines.Count} after {attempts} attempts; last: {failure}", status, attempts, completed, error);

    /// <summary>
    /// Retries (up to <see cref="IntegrityClientOptions.MaxAttempts"/> attempts) a retryable answer, a network error or
    /// an attempt with no answer within <see cref="IntegrityClientOptions.RequestTimeout"/>: after the server's
    /// Retry-After (at most <see cref="IntegrityClientOptions.MaxRetryAfter"/>, plus up to 100 ms of jitter so clients do
    /// not return in lockstep), else after Polly's exponential backoff with jitter from
    /// <see cref="IntegrityClientOptions.InitialBackoff"/> capped at <see cref="IntegrityClientOptions.MaxBackoff"/>.
    /// </summary>
    private static ResiliencePipeline<Attempt> BuildPipeline(IntegrityClientOptions options, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<Attempt> { TimeProvider = time };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<Attempt>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.InitialBackoff,
                MaxDelay = options.MaxBackoff,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e
                    ? IsTransient(e, args.Context.CancellationToken)
                    : args.Outcome.Result is { Result: null }),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter is { } wait
                    ? (TimeSpan?)((wait < options.MaxRetryAfter ? wait : options.MaxRetryAfter) + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100)))
                    : null),
            });
        }

        return builder.AddTimeout(options.RequestTimeout).Build();
    }

    /// <summary>A failure worth another attempt: the network, or no answer in time (not the caller's cancellation).</summary>
    private static bool IsTransient(Exception e, CancellationToken caller) =>
        e is HttpRequestException or TimeoutRejectedException || (e is OperationCanceledException && !caller.IsCancellationRequested);

    private HttpRequestMessage CreateRequest(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Ndjson;
        if (_options.Gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.EventsPath, UriKind.RelativeOrAbsolute)) { Content = content };
        request.Headers.Add("X-Api-Key", _options.ApiKey);
        return request;
    }

    private byte[] Encode(List<string> lines)
    {
        using var buffer = new MemoryStream();
        using (Stream target = _options.Gzip ? new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true) : new NonClosing(buffer))
        using (var writer = new StreamWriter(target, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            foreach (var line in lines)
            {
                writer.Write(line);
                writer.Write('\n');
            }
        }

        return buffer.ToArray();
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date - _time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => null,
    };

    private static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        || ((int)status >= 500 && status is not (HttpStatusCode.NotImplemented or HttpStatusCode.HttpVersionNotSupported));

    private static async Task<IngestResult> ReadResultAsync(HttpResponseMessage response, int offset, CancellationToken cancellationToken)
    {
        var answer = await response.Content.ReadFromJsonAsync<Answer>(WireJson, cancellationToken)
            ?? throw new InvalidDataException("The engine answered with an empty body.");
        var requestId = answer.RequestId ?? "";
        return new IngestResult(
            answer.Accepted,
            answer.Duplicates,
            [.. (answer.Rejected ?? []).Select(r => new IngestRejection(offset + r.Line, r.EventId, r.Code ?? "", r.Reason ?? "", requestId))],
            [requestId]);
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (text.Length > 0 && JsonNode.Parse(text) is JsonObject problem && problem["detail"]?.GetValue<string>() is { } detail)
            {
                return detail;
            }

            return text.Length <= 500 ? text : text[..500];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or HttpRequestException)
        {
            return response.ReasonPhrase ?? "";
        }
    }

    /// <summary>One attempt's outcome: the result of a 2xx, or the failure of a retryable answer and its Retry-After.</summary>
    private sealed record Attempt(HttpStatusCode Status, IngestResult? Result, string? Failure, TimeSpan? RetryAfter);

    private sealed record Answer(string? RequestId, int Accepted, int Duplicates, List<AnswerRejection>? Rejected);

    private sealed record AnswerRejection(int Line, string? EventId, string? Code, string? Reason);

    /// <summary>Lets the writer be disposed (flushing it) without closing the buffer under it.</summary>
    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
