using System.Security.Claims;
using System.Text.Json;
using Integrity.Contracts;
using Integrity.Contracts.Services;
using Integrity.Grains.Webhooks;
using Integrity.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Apis;

/// <summary>
/// Webhook endpoints: listed (never with their secrets) to viewers; registered and deleted by admin keys (a new
/// destination for decisions is data leaving the house, so neither analysts nor viewers may add one); paused, resumed
/// and replayed by analysts, each such action written to the audit trail (entity kind <c>webhook</c>, with the pauses
/// the deliverers make themselves).
/// </summary>
public static class WebhooksApi
{
    /// <summary>Queued and failed deliveries are counted up to this many in the list.</summary>
    public const int CountLimit = 1000;

    public sealed record WebhookEndpointView(
        string Id, string Source, string Url, IReadOnlyList<string> EntityKinds, int MinimumStep, DateTimeOffset? CreatedAt,
        bool Paused, DateTimeOffset? PausedAt, string? PausedBy, string? PauseReason, int Pending, int Failed);

    public sealed record WebhookEndpointList(IReadOnlyList<WebhookEndpointView> Endpoints);

    /// <summary>Registration: <c>secret</c> (32–256 characters) signs the deliveries; it is stored sealed and never shown again.</summary>
    public sealed record RegisterWebhookRequest(string? Id, string? Url, List<string>? EntityKinds, int? MinimumStep, string? Secret);

    public sealed record WebhookNoteRequest(string? Note);

    /// <summary>Failed deliveries to send again: these ids, or every failed one when none are given.</summary>
    public sealed record ReplayRequest(List<string>? DeliveryIds, string? Note);

    public sealed record ReplayResult(int Replayed);

    public sealed record DeliveryView(
        string DeliveryId, string EntityKind, string EntityId, string Status, int Attempts, DateTimeOffset EnqueuedAt,
        DateTimeOffset? NextAttemptAt, string? LastError, DateTimeOffset? CompletedAt);

    public sealed record DeliveryList(string EndpointId, string Status, IReadOnlyList<DeliveryView> Deliveries);

    public sealed record WebhookHistory(string EndpointId, IReadOnlyList<AuditEntry> Entries);

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/webhooks").WithTags("Webhooks");
        api.MapGet("", ListAsync)
            .RequireAuthorization(ApiRoles.Viewer)
            .WithName("ListWebhookEndpoints")
            .WithSummary("Webhook endpoints, configured and registered, with pause state and queued and failed deliveries (counted up to 1000); never their secrets. Role: viewer.");
        api.MapPost("", RegisterAsync)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("RegisterWebhookEndpoint")
            .WithSummary("Registers an endpoint: id, url, entityKinds (none: all), minimumStep (a ladder level; analyst actions are always sent) and secret (stored sealed, never shown). Role: admin.")
            .WithMetadata(new DocumentedBody(typeof(RegisterWebhookRequest)))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapDelete("/{id}", DeleteAsync)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("DeleteWebhookEndpoint")
            .WithSummary("Deletes a registered endpoint with its outbox: queued, failed and delivered deliveries (configured ones belong to the deployment: 409). Its audit history stays. Role: admin.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/{id}/deliveries", DeliveriesAsync)
            .RequireAuthorization(ApiRoles.Viewer)
            .WithName("ListWebhookDeliveries")
            .WithSummary("An endpoint's deliveries in one status (pending, failed or delivered), oldest first, with attempts and the last error. Role: viewer.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id}/history", HistoryAsync)
            .RequireAuthorization(ApiRoles.Viewer)
            .WithName("GetWebhookHistory")
            .WithSummary("Pauses, resumes and replays of the endpoint from the audit trail, oldest first. Role: viewer.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/pause", (string id, HttpContext context, WebhookEndpointDirectory directory, WebhookAudit audit, IGrainFactory grains, IOptions<JsonOptions> json) =>
                SetPausedAsync(id, true, context, directory, audit, grains, json.Value.SerializerOptions))
            .RequireAuthorization(ApiRoles.Analyst)
            .WithName("PauseWebhookEndpoint")
            .WithSummary("Pauses an endpoint: nothing is sent until it is resumed (deliveries keep queueing). Audited. Role: analyst.")
            .WithMetadata(new DocumentedBody(typeof(WebhookNoteRequest)))
            .WithMetadata(new DocumentedHeader(EntitiesApi.AnalystHeader, "The analyst who acts: 1 to 64 letters, digits, '.', '_' or '-'."))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapPost("/{id}/resume", (string id, HttpContext context, WebhookEndpointDirectory directory, WebhookAudit audit, IGrainFactory grains, IOptions<JsonOptions> json) =>
                SetPausedAsync(id, false, context, directory, audit, grains, json.Value.SerializerOptions))
            .RequireAuthorization(ApiRoles.Analyst)
            .WithName("ResumeWebhookEndpoint")
            .WithSummary("Resumes a paused endpoint (paused by an analyst or after too many failures in a row); its queue is sent in order. Audited. Role: analyst.")
            .WithMetadata(new DocumentedBody(typeof(WebhookNoteRequest)))
            .WithMetadata(new DocumentedHeader(EntitiesApi.AnalystHeader, "The analyst who acts: 1 to 64 letters, digits, '.', '_' or '-'."))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapPost("/{id}/replay", ReplayAsync)
            .RequireAuthorization(ApiRoles.Analyst)
            .WithName("ReplayWebhookDeliveries")
            .WithSummary("Queues failed deliveries again (the ids given, or all), with a fresh retry period. Audited. Role: analyst.")
            .WithMetadata(new DocumentedBody(typeof(ReplayRequest)))
            .WithMetadata(new DocumentedHeader(EntitiesApi.AnalystHeader, "The analyst who acts: 1 to 64 letters, digits, '.', '_' or '-'."))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    private static async Task<Ok<WebhookEndpointList>> ListAsync(WebhookEndpointDirectory directory, IWebhookOutbox outbox, CancellationToken ct)
    {
        var endpoints = await directory.ReadAsync(ct);
        var views = await Task.WhenAll(endpoints.Select(e => ViewAsync(e, outbox, ct)));
        return TypedResults.Ok(new WebhookEndpointList(views));
    }

    private static async Task<WebhookEndpointView> ViewAsync(WebhookEndpoint e, IWebhookOutbox outbox, CancellationToken ct)
    {
        var pending = await outbox.ReadAsync(e.Id, WebhookDeliveryStatus.Pending, CountLimit, ct);
        var failed = await outbox.ReadAsync(e.Id, WebhookDeliveryStatus.Failed, CountLimit, ct);

        // The URL without its query: a token a platform put there is as good as a secret.
        var url = e.Url.GetLeftPart(UriPartial.Path);
        return new WebhookEndpointView(e.Id, e.Source, url, e.EntityKinds, e.MinimumStep, e.CreatedAt, e.Paused, e.PausedAt, e.PausedBy, e.PauseReason, pending.Count, failed.Count);
    }

    private static async Task<Results<Created<WebhookEndpointView>, ProblemHttpResult>> RegisterAsync(
        HttpContext context, WebhookEndpointDirectory directory, WebhookSecretKey key, IWebhookOutbox outbox, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var (request, problem) = await ReadAsync<RegisterWebhookRequest>(context, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        var kinds = request!.EntityKinds ?? [];
        var problems = WebhookOptions.EndpointProblems(request.Id, request.Url, kinds, request.MinimumStep ?? 0, request.Secret).ToList();
        if (problems.Count > 0)
        {
            return EntitiesApi.BadRequest(string.Join("; ", problems));
        }

        if (key.Key is null)
        {
            return TypedResults.Problem(detail: "This host has no key to seal webhook secrets with (Security:IdentifierHashKey).", statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }

        if (!await directory.RegisterAsync(request.Id!, request.Url!, [.. kinds.Distinct(StringComparer.Ordinal)], request.MinimumStep ?? 0, request.Secret!, context.RequestAborted))
        {
            return TypedResults.Problem(detail: $"A webhook endpoint '{request.Id}' exists already.", statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }

        var endpoint = (await directory.FindAsync(request.Id!, context.RequestAborted))!;
        await grains.GetGrain<IWebhookEndpointGrain>(endpoint.Id).WakeAsync();
        return TypedResults.Created($"/v1/webhooks/{endpoint.Id}", await ViewAsync(endpoint, outbox, context.RequestAborted));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, WebhookEndpointDirectory directory, IGrainFactory grains, CancellationToken ct)
    {
        var endpoint = await directory.FindAsync(id, ct);
        if (endpoint is null)
        {
            return NotFound(id);
        }

        if (endpoint.Source == WebhookEndpoint.FromConfiguration)
        {
            return TypedResults.Problem(detail: $"'{id}' is configured (Webhooks:Endpoints); remove it from the configuration.", statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }

        await directory.DeleteAsync(id, ct);

        // The outbox goes through the deliverer, between its rounds: a round under way could write rows back otherwise.
        await grains.GetGrain<IWebhookEndpointGrain>(id).DeletedAsync();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<DeliveryList>, ProblemHttpResult>> DeliveriesAsync(
        string id, string? status, int? limit, WebhookEndpointDirectory directory, IWebhookOutbox outbox, CancellationToken ct)
    {
        if (await directory.FindAsync(id, ct) is null)
        {
            return NotFound(id);
        }

        WebhookDeliveryStatus? parsed = (status ?? "failed") switch
        {
            "pending" => WebhookDeliveryStatus.Pending,
            "failed" => WebhookDeliveryStatus.Failed,
            "delivered" => WebhookDeliveryStatus.Delivered,
            _ => null,
        };
        if (parsed is not { } s)
        {
            return EntitiesApi.BadRequest("\"status\" must be pending, failed or delivered.");
        }

        if (limit is < 1 or > CountLimit)
        {
            return EntitiesApi.BadRequest($"\"limit\" must be 1..{CountLimit}.");
        }

        var rows = await outbox.ReadAsync(id, s, limit ?? 200, ct);
        return TypedResults.Ok(new DeliveryList(id, s.ToString().ToLowerInvariant(), [.. rows.Select(d => new DeliveryView(
            d.DeliveryId, d.EntityKind, d.EntityId, s.ToString().ToLowerInvariant(), d.Attempts, d.EnqueuedAt, d.NextAttemptAt, d.LastError, d.CompletedAt))]));
    }

    private static async Task<Results<Ok<WebhookHistory>, ProblemHttpResult>> HistoryAsync(string id, WebhookEndpointDirectory directory, WebhookAudit audit, CancellationToken ct)
    {
        if (await directory.FindAsync(id, ct) is null)
        {
            return NotFound(id);
        }

        var entries = await audit.ReadAsync(id, ct);
        return TypedResults.Ok(new WebhookHistory(id, [.. entries.Select(AuditEntry.From)]));
    }

    private static async Task<Results<Ok<WebhookEndpointView>, ProblemHttpResult>> SetPausedAsync(
        string id, bool paused, HttpContext context, WebhookEndpointDirectory directory, WebhookAudit audit, IGrainFactory grains, JsonSerializerOptions json)
    {
        if (Analyst(context) is not { } analyst)
        {
            return AnalystProblem();
        }

        var (request, problem) = await ReadAsync<WebhookNoteRequest>(context, json, allowEmpty: true);
        if (problem is not null)
        {
            return problem;
        }

        if (request?.Note is { Length: > EntitiesApi.MaxNoteLength })
        {
            return EntitiesApi.BadRequest($"\"note\" is at most {EntitiesApi.MaxNoteLength} characters.");
        }

        if (!await directory.SetPausedAsync(id, paused, analyst, request?.Note, context.RequestAborted))
        {
            return NotFound(id);
        }

        await audit.AnalystAsync(id, paused ? "pause" : "resume", paused ? "Paused" : "Active", analyst, request?.Note, null, context.RequestAborted);
        await grains.GetGrain<IWebhookEndpointGrain>(id).WakeAsync();
        var outbox = context.RequestServices.GetRequiredService<IWebhookOutbox>();
        return TypedResults.Ok(await ViewAsync((await directory.FindAsync(id, context.RequestAborted))!, outbox, context.RequestAborted));
    }

    private static async Task<Results<Ok<ReplayResult>, ProblemHttpResult>> ReplayAsync(
        string id, HttpContext context, WebhookEndpointDirectory directory, IWebhookOutbox outbox, WebhookAudit audit, IGrainFactory grains, TimeProvider time, IOptions<JsonOptions> json)
    {
        if (Analyst(context) is not { } analyst)
        {
            return AnalystProblem();
        }

        var (request, problem) = await ReadAsync<ReplayRequest>(context, json.Value.SerializerOptions, allowEmpty: true);
        if (problem is not null)
        {
            return problem;
        }

        if (await directory.FindAsync(id, context.RequestAborted) is null)
        {
            return NotFound(id);
        }

        var wanted = request?.DeliveryIds is { Count: > 0 } ids ? ids.ToHashSet(StringComparer.Ordinal) : null;
        var failed = await outbox.ReadAsync(id, WebhookDeliveryStatus.Failed, int.MaxValue, context.RequestAborted);
        var now = time.GetUtcNow();
        var replayed = failed.Where(d => wanted is null || wanted.Contains(d.DeliveryId))
            .Select(d => (d with { Status = WebhookDeliveryStatus.Pending, EnqueuedAt = now, NextAttemptAt = null, CompletedAt = null }, WebhookDeliveryStatus.Failed))
            .ToList();
        if (replayed.Count > 0)
        {
            await outbox.SaveAsync(replayed, context.RequestAborted);
            await audit.AnalystAsync(id, "replay", null, analyst, request?.Note, replayed.Count, context.RequestAborted);
            await grains.GetGrain<IWebhookEndpointGrain>(id).WakeAsync();
        }

        return TypedResults.Ok(new ReplayResult(replayed.Count));
    }

    /// <summary>The acting person's handle from the header, with the key's hash prefix; null when the header breaks the rules.</summary>
    internal static string? Analyst(HttpContext context)
    {
        var analyst = context.Request.Headers[EntitiesApi.AnalystHeader].ToString();
        return EntitiesApi.AnalystPattern().IsMatch(analyst)
            ? $"{analyst} (key {context.User.FindFirstValue(ApiRoles.KeyHashClaim) ?? "unknown"})"
            : null;
    }

    internal static ProblemHttpResult AnalystProblem() =>
        EntitiesApi.BadRequest($"Name the analyst in the {EntitiesApi.AnalystHeader} header: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"No webhook endpoint '{EntitiesApi.Shorten(id)}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>A JSON body (application/json, the action body rules) as <typeparamref name="T"/>, or the problem with it.</summary>
    internal static async Task<(T? Request, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext context, JsonSerializerOptions json, bool allowEmpty = false)
        where T : class
    {
        if (allowEmpty && context.Request.ContentLength is 0 or null && !context.Request.Headers.ContainsKey("Transfer-Encoding"))
        {
            return (null, null);
        }

        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            || !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, TypedResults.Problem(detail: "Send the body as application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
        }

        var (body, problem) = await ActionBody.ReadAsync(context.Request, context.RequestAborted);
        if (problem is not null)
        {
            return (null, problem);
        }

        using (body)
        {
            try
            {
                return body!.Deserialize<T>(json) is { } request ? (request, null) : (null, EntitiesApi.BadRequest("The body must be a JSON object."));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                // Never the body itself: it may hold the secret.
                return (null, EntitiesApi.BadRequest($"The body is not a valid {typeof(T).Name.Replace("Request", "", StringComparison.Ordinal)} request."));
            }
        }
    }
}
