using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Integrity.Contracts;
using Integrity.Contracts.Services;
using Integrity.Grains.Telemetry;
using Integrity.Host.Query;
using Integrity.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Apis;

/// <summary>
/// Sellers, listings and reviewers: the entity from grain state with its recent audit entries (viewer), its whole
/// history from the audit table (viewer), and analyst actions (analyst). Routes: <c>/v1/{sellers|listings|reviewers}/{id}</c>.
/// </summary>
public static partial class EntitiesApi
{
    /// <summary>Header naming the analyst who acts; recorded in the audit trail with the key's hash prefix.</summary>
    public const string AnalystHeader = "X-Analyst";

    public const int MaxNoteLength = 2000;

    public static IEndpointRouteBuilder MapEntitiesApi(this IEndpointRouteBuilder app)
    {
        foreach (var kind in EntityKinds.All)
        {
            var title = char.ToUpperInvariant(kind.Name[0]) + kind.Name[1..];
            var api = app.MapGroup($"/v1/{kind.Plural}").WithTags($"{title}s");
            api.MapGet("/{id}", (string id, HttpResponse response, IGrainFactory grains, IAuditLog audit, IOptions<QueryApiOptions> options, CancellationToken ct) =>
                    GetAsync(kind, id, response, grains, audit, options.Value, ct))
                .RequireAuthorization(ApiRoles.Viewer)
                .WithName($"Get{title}")
                .WithSummary($"The {kind.Name}: step, score, reasons with evidence, history, override, linked entities, recent decisions. Role: viewer.")
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
            api.MapGet("/{id}/history", (string id, string? from, string? limit, HttpResponse response, IGrainFactory grains, IAuditLog audit, IOptions<QueryApiOptions> options, CancellationToken ct) =>
                    HistoryAsync(kind, id, from, limit, response, grains, audit, options.Value, ct))
                .RequireAuthorization(ApiRoles.Viewer)
                .WithName($"Get{title}History")
                .WithSummary($"The {kind.Name}'s score over time and every decision, action and note, oldest first, from the audit table. Role: viewer.")
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
            api.MapPost("/{id}/actions", (string id, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time, IOptions<QueryApiOptions> options, IOptions<JsonOptions> json, IntegrityMetrics metrics) =>
                    ActAsync(kind, id, context, grains, audit, time, options.Value, json.Value.SerializerOptions, metrics))
                .RequireAuthorization(ApiRoles.Analyst)
                .WithName($"Act{title}")
                .WithSummary($"An analyst's confirm, reverse, reinstate, override (level, optional until) or note on the {kind.Name}; "
                    + $"the analyst is named by the {AnalystHeader} header. Returns the updated {kind.Name}. Role: analyst.")
                .WithMetadata(new DocumentedBody(typeof(ActionRequest)))
                .WithMetadata(new DocumentedHeader(AnalystHeader, "The analyst who acts: 1 to 64 letters, digits, '.', '_' or '-' (a handle, not an e-mail address)."))
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict)
                .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        }

        return app;
    }

    private static async Task<Results<Ok<EntityResponse>, ProblemHttpResult>> GetAsync(
        EntityKinds.Kind kind, string id, HttpResponse response, IGrainFactory grains, IAuditLog audit, QueryApiOptions options, CancellationToken ct)
    {
        if (EntityKinds.IdProblem(id) is { } problem)
        {
            return BadRequest($"'{Shorten(id)}' is not a {kind.Name} id: {problem}");
        }

        if (await ReadViewAsync(kind, id, grains, options, ct) is not { } view)
        {
            return NotAnswering(kind, id, response, options);
        }

        if (!view.Known)
        {
            return NotFound(kind, id);
        }

        return TypedResults.Ok(EntityResponse.From(kind, view, await RecentAsync(kind, id, audit, options, ct)));
    }

    private static async Task<Results<Ok<HistoryResponse>, ProblemHttpResult>> HistoryAsync(
        EntityKinds.Kind kind, string id, string? from, string? limit, HttpResponse response, IGrainFactory grains, IAuditLog audit, QueryApiOptions options, CancellationToken ct)
    {
        if (EntityKinds.IdProblem(id) is { } problem)
        {
            return BadRequest($"'{Shorten(id)}' is not a {kind.Name} id: {problem}");
        }

        if (!QueryParameters.TryTime(from, "from", out var since, out var fromProblem))
        {
            return BadRequest(fromProblem);
        }

        if (!QueryParameters.TryLimit(limit, options.MaxHistory, options.MaxHistory, out var max, out var limitProblem))
        {
            return BadRequest(limitProblem);
        }

        var entries = await audit.ReadEntityAsync(kind.Name, id, since, max + 1, ct);
        if (entries.Count == 0)
        {
            if (await ReadViewAsync(kind, id, grains, options, ct) is not { } view)
            {
                return NotAnswering(kind, id, response, options);
            }

            if (!view.Known)
            {
                return NotFound(kind, id);
            }
        }

        var kept = entries.Take(max).ToList();
        var scores = kept.Where(e => e.Score is not null).Select(e => new ScorePoint(e.OccurredAt, e.Score!.Value, e.Step, e.Kind)).ToList();
        return TypedResults.Ok(new HistoryResponse(kind.Name, id, scores, [.. kept.Select(AuditEntry.From)], entries.Count > max));
    }

    private static async Task<Results<Ok<EntityResponse>, ProblemHttpResult>> ActAsync(
        EntityKinds.Kind kind, string id, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time, QueryApiOptions options, JsonSerializerOptions json, IntegrityMetrics metrics)
    {
        if (EntityKinds.IdProblem(id) is { } idProblem)
        {
            return BadRequest($"'{Shorten(id)}' is not a {kind.Name} id: {idProblem}");
        }

        var (analyst, request, problem) = await ReadAnalystRequestAsync<ActionRequest>(context, json);
        if (problem is not null)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        if (request is null || Command(kind, request, now) is not { } parsed)
        {
            return BadRequest("The body must be a JSON object such as {\"action\": \"reinstate\", \"note\": \"why\"}.");
        }

        if (parsed.Problem is { } commandProblem)
        {
            return BadRequest(commandProblem);
        }

        var grain = kind.Grain(grains, id);
        if (!(await grain.GetViewAsync()).Known)
        {
            return NotFound(kind, id);
        }

        var command = parsed.Command! with { Analyst = Actor(context, analyst) };
        EntityView view;
        try
        {
            view = await grain.ActAsync(command);
            metrics.AnalystAction(kind.Name, command.Verb.ToString().ToLowerInvariant(), applied: true);
        }
        catch (AnalystCommandRejectedException e)
        {
            metrics.AnalystAction(kind.Name, command.Verb.ToString().ToLowerInvariant(), applied: false);
            return TypedResults.Problem(detail: e.Message, statusCode: StatusCodes.Status409Conflict, title: "Action rejected");
        }

        return TypedResults.Ok(EntityResponse.From(kind, view, await RecentAsync(kind, id, audit, options, context.RequestAborted)));
    }

    /// <summary>
    /// What every analyst action shares before its own checks: the analyst named in <see cref="AnalystHeader"/>, an
    /// <c>application/json</c> body read strictly (<see cref="ActionBody"/>), bound to <typeparamref name="T"/>.
    /// </summary>
    internal static async Task<(string Analyst, T? Request, ProblemHttpResult? Problem)> ReadAnalystRequestAsync<T>(HttpContext context, JsonSerializerOptions json)
        where T : class
    {
        var analyst = context.Request.Headers[AnalystHeader].ToString();
        if (!AnalystPattern().IsMatch(analyst))
        {
            return ("", null, BadRequest($"Name the analyst in the {AnalystHeader} header: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit "
                + "(a handle such as 'alice.m', not an e-mail address)."));
        }

        if (!IsJson(context.Request.ContentType))
        {
            return (analyst, null, TypedResults.Problem(detail: $"Send the action as application/json, not {Shorten(context.Request.ContentType ?? "(none)")}.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
        }

        var (body, bodyProblem) = await ActionBody.ReadAsync(context.Request, context.RequestAborted);
        if (bodyProblem is not null)
        {
            return (analyst, null, bodyProblem);
        }

        try
        {
            return (analyst, body!.Deserialize<T>(json), null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return (analyst, null, BadRequest($"The body is not a valid action: {e.Message}"));
        }
        finally
        {
            body!.Dispose();
        }
    }

    /// <summary>The analyst as the audit trail names them: the handle and the hash prefix of the key they used.</summary>
    internal static string Actor(HttpContext context, string analyst) =>
        $"{analyst} (key {context.User.FindFirstValue(ApiRoles.KeyHashClaim) ?? "unknown"})";

    /// <summary>Why a note cannot go to the audit trail (null: it can). <paramref name="required"/>: the action needs a why.</summary>
    internal static string? NoteProblem(string? note, bool required, string action)
    {
        if (string.IsNullOrEmpty(note) && required)
        {
            return $"\"note\" is required for {action}: say why, for the audit trail.";
        }

        if (note is { Length: > MaxNoteLength })
        {
            return $"\"note\" is {note.Length} characters long; at most {MaxNoteLength}.";
        }

        return note is not null && note.Any(c => char.IsControl(c) && c is not ('\n' or '\t'))
            ? "\"note\" may not contain control characters other than newlines and tabs."
            : null;
    }

    /// <summary>A client's id for an action, so a retry is a no-op; a new one when none is given (null: not a valid id).</summary>
    internal static string? ActionId(string? given)
    {
        var id = given ?? Guid.NewGuid().ToString("N");
        return ActionIdPattern().IsMatch(id) ? id : null;
    }

    internal const string ActionIdRule = "\"actionId\" must be 1 to 64 letters, digits, '.', '_', ':' or '-' (send the same id again to retry safely).";

    private sealed record ParsedCommand(AnalystCommand? Command, string? Problem);

    private static ParsedCommand? Command(EntityKinds.Kind kind, ActionRequest request, DateTimeOffset now)
    {
        static ParsedCommand Fail(string problem) => new(null, problem);

        AnalystVerb? verb = request.Action?.Trim().ToLowerInvariant() switch
        {
            "confirm" => AnalystVerb.Confirm,
            "reverse" => AnalystVerb.Reverse,
            "reinstate" => AnalystVerb.Reinstate,
            "override" => AnalystVerb.Override,
            "note" => AnalystVerb.Note,
            _ => null,
        };
        if (verb is not { } v)
        {
            return Fail($"\"action\" must be one of confirm, reverse, reinstate, override, note; got {(request.Action is null ? "nothing" : $"'{Shorten(request.Action)}'")}.");
        }

        var note = request.Note?.Trim();
        if (NoteProblem(note, required: v != AnalystVerb.Confirm, request.Action!) is { } noteProblem)
        {
            return Fail(noteProblem);
        }

        if (v == AnalystVerb.Override)
        {
            if (request.Level is not { } level || level < 0 || level > kind.TopLevel)
            {
                return Fail($"An override needs \"level\" between 0 and {kind.TopLevel} ({string.Join(", ", kind.Ladder.Select((s, i) => $"{i} = {s}"))}).");
            }

            if (request.Until is { } until && (until <= now || until > now.AddYears(1)))
            {
                return Fail($"\"until\" must be in the future and within a year (now is {now:O}); leave it out for an override until changed.");
            }
        }
        else if (request.Level is not null || request.Until is not null)
        {
            return Fail("\"level\" and \"until\" belong to an override only.");
        }

        if (ActionId(request.ActionId) is not { } actionId)
        {
            return Fail(ActionIdRule);
        }

        return new ParsedCommand(new AnalystCommand(v, "analyst/" + actionId, "", now, string.IsNullOrEmpty(note) ? null : note, request.Level, request.Until), null);
    }

    /// <summary>Exactly <c>application/json</c>, with optional parameters (<c>; charset=utf-8</c>).</summary>
    internal static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    internal static async Task<IReadOnlyList<AuditRecord>> RecentAsync(EntityKinds.Kind kind, string id, IAuditLog audit, QueryApiOptions options, CancellationToken ct)
    {
        if (options.RecentDecisions == 0)
        {
            return [];
        }

        var all = await audit.ReadEntityAsync(kind.Name, id, null, options.MaxHistory, ct);
        return [.. all.TakeLast(options.RecentDecisions).Reverse()];
    }

    /// <summary>
    /// The entity's view, or null when its grain does not answer within <see cref="QueryApiOptions.GrainReadTimeout"/>
    /// (Orleans' own response timeout counts too): a grain on a silo that is stopping answers only once it has been
    /// deactivated there, which on a silo with thousands of grains has taken longer than the response timeout.
    /// </summary>
    internal static async Task<EntityView?> ReadViewAsync(EntityKinds.Kind kind, string id, IGrainFactory grains, QueryApiOptions options, CancellationToken ct)
    {
        try
        {
            return await kind.Grain(grains, id).GetViewAsync().WaitAsync(options.GrainReadTimeout, ct);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    internal static ProblemHttpResult NotAnswering(EntityKinds.Kind kind, string id, HttpResponse response, QueryApiOptions options)
    {
        response.Headers.RetryAfter = "1";
        return TypedResults.Problem(
            detail: string.Create(CultureInfo.InvariantCulture,
                $"The {kind.Name} '{Shorten(id)}' did not answer within {options.GrainReadTimeout.TotalSeconds:0.#} s (QueryApi:GrainReadTimeout): it is probably moving between silos; retry after 1 s."),
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Entity not answering");
    }

    internal static ProblemHttpResult NotFound(EntityKinds.Kind kind, string id) =>
        TypedResults.Problem(detail: $"No {kind.Name} '{id}' is known: no event about it has been applied.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    internal static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    internal static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    internal static partial Regex AnalystPattern();

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex ActionIdPattern();
}
