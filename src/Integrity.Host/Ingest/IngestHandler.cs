using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Integrity.Contracts;
using Integrity.Domain.Wire;
using Integrity.Grains.Consumers;
using Integrity.Grains.Routing;
using Integrity.Grains.Telemetry;
using Integrity.Host.Security;
using Integrity.Storage.AzureTables.DeadLetters;
using Integrity.Storage.AzureTables.Journal;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Ingest;

/// <summary>The answer to an ingest request: every rejected line with its number and reason.</summary>
public sealed record IngestResponse(string RequestId, int Accepted, int Duplicates, IReadOnlyList<IngestRejection> Rejected);

/// <summary>
/// <c>POST /v1/events</c>: reads the body as it streams, parses each line, appends the accepted events to the
/// durable journal and the rejected lines to the dead-letter table, and answers 202 only once both are stored.
/// </summary>
public sealed partial class IngestHandler(
    EventParser parser,
    IEventJournal journal,
    DeadLetterTable deadLetters,
    StoredLagTracker storedLag,
    IOptions<IngestOptions> options,
    TimeProvider time,
    IntegrityMetrics metrics,
    ILogger<IngestHandler> logger,
    IGrainFactory? grains = null)
{
    private static readonly string[] NdjsonTypes = ["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"];

    /// <summary>Retry-After of an "Engine behind" refusal (see the staleness check in <see cref="HandleAsync"/>).</summary>
    public const int EngineBehindRetryAfterSeconds = 1;

    private readonly IngestOptions _options = options.Value;

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var requestId = Guid.CreateVersion7().ToString("N");
        context.Response.Headers["X-Request-Id"] = requestId;

        var mediaType = request.ContentType?.Split(';', 2)[0].Trim().ToLowerInvariant();
        var ndjson = mediaType is not null && NdjsonTypes.Contains(mediaType);
        if (!ndjson && mediaType != "application/json")
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send events as application/x-ndjson (one JSON event per line) or application/json (an array of events), not '{request.ContentType ?? "(none)"}'.");
        }

        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        if (encoding is not ("" or "identity" or "gzip"))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content encoding",
                $"Content-Encoding '{encoding}' is not supported; send the body uncompressed or with Content-Encoding: gzip.");
        }

        // Staleness bound: refuse while events accepted now would be stored past it (the oldest waiting row's age plus a
        // checkpoint cycle). Retry-After is 1 s, not the outage wait: the gate reopens when a checkpoint lands, which no
        // estimate here times well, and a sender asleep past it leaves the engine idle. A refusal costs next to nothing.
        if (storedLag.Refuse(StoredLagTracker.Now(time), _options.MaxStoredLagSeconds) is { } behind)
        {
            LogStoredLagExceeded(logger, requestId, behind.Lag.TotalSeconds, behind.Cycle.TotalSeconds);
            return Unavailable(context, "Engine behind",
                string.Create(CultureInfo.InvariantCulture, $"Stored state is {behind.Lag.TotalSeconds:0.0} s behind what was accepted and a checkpoint takes about {behind.Cycle.TotalSeconds:0.0} s, so events accepted now would be stored later than the bound allows (bound {_options.MaxStoredLagSeconds:0.#} s, Ingest:MaxStoredLagSeconds); retry after {EngineBehindRetryAfterSeconds} s. Nothing from this request was accepted."), 0, EngineBehindRetryAfterSeconds);
        }

        if (request.ContentLength > _options.MaxBodyBytes)
        {
            LogTooLarge(logger, requestId, request.ContentLength.Value);
            return TooLarge(string.Create(CultureInfo.InvariantCulture, $"The request body is {request.ContentLength:N0} bytes; the limit is {_options.MaxBodyBytes:N0} bytes (Ingest:MaxBodyBytes). Split the batch into smaller requests; nothing from this request was accepted."));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = _options.MaxBodyBytes;
        }

        var batch = new IngestBatch(
            parser, _options.MaxEvents, requestId, time.GetUtcNow(),
            context.User.FindFirst(ApiRoles.KeyRoleClaim)?.Value, context.User.FindFirst(ApiRoles.KeyHashClaim)?.Value);
        try
        {
            await using var body = OpenBody(request, encoding == "gzip");
            if (ndjson)
            {
                await IngestBodyReader.ReadNdjsonAsync(body, batch, context.RequestAborted);
            }
            else if (!await IngestBodyReader.ReadJsonAsync(body, batch, context.RequestAborted))
            {
                return Problem(StatusCodes.Status400BadRequest, "Not an array of events",
                    "An application/json body must be a JSON array of event objects (or a single event object).");
            }
        }
        catch (IngestLimitException e)
        {
            LogTooLarge(logger, requestId, batch.Events);
            return TooLarge(e.Message);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(string.Create(CultureInfo.InvariantCulture, $"The request body is larger than {_options.MaxBodyBytes:N0} bytes (Ingest:MaxBodyBytes). Split the batch into smaller requests; nothing from this request was accepted."));
        }
        catch (BadHttpRequestException e)
        {
            // The body broke off or its framing is invalid (a bad chunk, fewer bytes than Content-Length): a client problem.
            return Problem(e.StatusCode, "Body not readable", $"The request body could not be read ({e.Message}); nothing from this request was accepted.");
        }
        catch (InvalidDataException)
        {
            return Problem(StatusCodes.Status400BadRequest, "Body not readable",
                "The body is declared as gzip (Content-Encoding: gzip) but could not be decompressed; nothing from this request was accepted.");
        }

        foreach (var fault in batch.ParserFaults)
        {
            LogParserFault(logger, requestId, fault);
        }

        if (batch.Events == 0)
        {
            return Problem(StatusCodes.Status400BadRequest, "Empty body",
                "The request body holds no events: send one JSON event per line (application/x-ndjson) or a JSON array of events (application/json).");
        }

        return await StoreAsync(context, batch) ?? TypedResults.Accepted((string?)null, new IngestResponse(requestId, batch.Accepted.Count, batch.Duplicates, batch.Rejected));
    }

    /// <summary>Stores accepted events and dead letters; null when both are durable, else the 503 to answer.</summary>
    private async Task<IResult?> StoreAsync(HttpContext context, IngestBatch batch)
    {
        // Brands are known to the engine before the batch that registers them is acknowledged. Their events are
        // journaled under the brand, and a listing under its seller, in another partition whose consumer may run
        // ahead: a listing sent with (or after) its brand would otherwise be checked against no brand at all.
        if (grains is not null && WorkPlan.Brands(batch.Accepted) is { Count: > 0 } brands)
        {
            try
            {
                await grains.GetGrain<IBrandDirectoryGrain>(PartitionConsumerGrain.BrandDirectoryKey).RegisterAsync(brands);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogStorageUnavailable(logger, batch.RequestId, 0, e.Message);
                return Unavailable(context, "Storage unavailable",
                    $"Brands could not be registered; retry after {_options.RetryAfterSeconds} s. This request was not accepted.", 0);
            }
        }

        using var activity = IntegrityActivities.Source.StartActivity(IntegrityActivities.JournalAppend);
        activity?.SetTag("integrity.request_id", batch.RequestId);
        activity?.SetTag("integrity.events", batch.Accepted.Count);
        activity?.SetTag("integrity.dead_letters", batch.DeadLetters.Count);

        // Not the request's abort token: once started, a write is finished, so what the platform may retry is known.
        var appending = batch.Accepted.Count > 0 ? journal.AppendAsync(batch.Accepted, CancellationToken.None) : Task.FromResult(JournalAppendResult.Empty);
        var deadLettering = batch.DeadLetters.Count > 0 ? deadLetters.AppendAsync(batch.DeadLetters, CancellationToken.None) : Task.CompletedTask;
        var stored = 0;
        string? failure = null;
        try
        {
            var appended = await appending;
            var at = StoredLagTracker.Now(time);
            foreach (var range in appended.Ranges)
            {
                storedLag.Appended(range.Partition, range.LastSequence, at, range.Events);
                metrics.JournalHead(range.Partition, range.LastSequence);
            }

            activity?.SetTag("integrity.partitions", appended.Ranges.Count);
        }
        catch (JournalOverloadedException e)
        {
            LogOverloaded(logger, batch.RequestId, e.PendingEvents);
            activity?.SetStatus(ActivityStatusCode.Error, "journal saturated");
            return Unavailable(context, "Engine saturated",
                $"Too many events are waiting to be stored; retry after {_options.RetryAfterSeconds} s. Nothing from this request was accepted.", 0);
        }
        catch (JournalUnavailableException e)
        {
            stored = e.StoredEvents;
            failure = e.Message;
        }

        try
        {
            await deadLettering;
            foreach (var code in batch.DeadLetters.GroupBy(d => d.Code))
            {
                metrics.DeadLetters("ingest", code.Key, code.Count());
            }
        }
        catch (Exception e) when (e is Azure.RequestFailedException or AggregateException or IOException or OperationCanceledException)
        {
            failure ??= "the dead-letter table could not be written: " + e.Message.Split('\n', 2)[0];
            if (stored == 0 && appending.IsCompletedSuccessfully)
            {
                stored = batch.Accepted.Count;
            }
        }

        if (failure is not null)
        {
            LogStorageUnavailable(logger, batch.RequestId, stored, failure);
            activity?.SetStatus(ActivityStatusCode.Error, "storage unavailable");
            var detail = $"Storage is not answering; retry after {_options.RetryAfterSeconds} s. This request was not accepted."
                + (stored > 0
                    ? $" {stored} of its events were nevertheless stored durably and will be applied; sending the same batch again is safe, because each event id is applied once."
                    : " None of its events were stored.");
            return Unavailable(context, "Storage unavailable", detail, stored);
        }

        LogIngested(logger, batch.RequestId, batch.Accepted.Count, batch.Duplicates, batch.Rejected.Count);
        metrics.IngestEvents(batch.Accepted.Count, batch.Rejected.Count, batch.Duplicates);
        return null;
    }

    private Stream OpenBody(HttpRequest request, bool gzip)
    {
        Stream body = new LimitedReadStream(request.Body, _options.MaxBodyBytes, "request body");
        return gzip
            ? new LimitedReadStream(new GZipStream(body, CompressionMode.Decompress), _options.MaxBodyBytes, "decompressed request body")
            : body;
    }

    private ProblemHttpResult Unavailable(HttpContext context, string title, string detail, int storedEvents, int? retryAfterSeconds = null)
    {
        var retryAfter = retryAfterSeconds ?? _options.RetryAfterSeconds;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: title, extensions: new Dictionary<string, object?>
        {
            ["retryAfterSeconds"] = retryAfter,
            ["storedEvents"] = storedEvents,
        });
    }

    private static ProblemHttpResult TooLarge(string detail) => Problem(StatusCodes.Status413PayloadTooLarge, "Request too large", detail);

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);
}
