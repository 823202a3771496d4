using System.Text.Json;
using Integrity.Contracts;
using Integrity.Contracts.Services;
using Integrity.Domain.Enforcement;
using Integrity.Grains.Telemetry;
using Integrity.Host.Query;
using Integrity.Host.Security;
using Integrity.Storage.AzureTables.Index;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Apis;

/// <summary>
/// Appeals, filed by platforms as <c>appeal.filed</c> events: the queue of open appeals, oldest first, which analysts
/// take before other review work (viewer); one case with the step it contests and that decision's evidence from the
/// audit trail (viewer); and its outcome, upheld, reversed or partly granted, an audited analyst action that is
/// delivered by webhook like any other (analyst).
/// </summary>
public static class AppealsApi
{
    public sealed record AppealCaseResponse(
        string Kind, string Id, int Level, string Step, AppealCase Appeal, string ContestedFrom, string ContestedTo, AuditEntry? ContestedDecision);

    /// <summary>
    /// <c>upheld</c> (the step stands), <c>reversed</c> (the contested step is undone) or <c>partly</c> (a step down: to
    /// <c>level</c>, default one step); <c>note</c> says why; the same <c>actionId</c> again is a no-op.
    /// </summary>
    public sealed record AppealOutcomeRequest(string? Outcome, string? Note, int? Level, string? ActionId);

    public static IEndpointRouteBuilder MapAppealsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/appeals", ListAsync)
            .WithTags("Appeals")
            .RequireAuthorization(ApiRoles.Viewer)
            .WithName("ListOpenAppeals")
            .WithSummary("Open appeals, oldest first: the work analysts take before other cases. Each with the step it contests, its reason codes and the start of the statement. Role: viewer.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        foreach (var kind in EntityKinds.All)
        {
            var title = char.ToUpperInvariant(kind.Name[0]) + kind.Name[1..];
            var api = app.MapGroup($"/v1/{kind.Plural}/{{id}}/appeals").WithTags("Appeals");
            api.MapGet("/{appealId}", (string id, string appealId, HttpResponse response, IGrainFactory grains, IAuditLog audit, IOptions<QueryApiOptions> options, CancellationToken ct) =>
                    GetAsync(kind, id, appealId, response, grains, audit, options.Value, ct))
                .RequireAuthorization(ApiRoles.Viewer)
                .WithName($"Get{title}Appeal")
                .WithSummary($"An appeal of the {kind.Name}: statement, attachment references, the step contested and that decision as audited (reasons with evidence, event ids, policy version), and the outcome once decided. Role: viewer.")
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
            api.MapPost("/{appealId}/outcome", (string id, string appealId, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time, IOptions<JsonOptions> json, IntegrityMetrics metrics) =>
                    DecideAsync(kind, id, appealId, context, grains, audit, time, json.Value.SerializerOptions, metrics))
                .RequireAuthorization(ApiRoles.Analyst)
                .WithName($"Decide{title}Appeal")
                .WithSummary($"An analyst's outcome of the {kind.Name}'s open appeal: upheld, reversed or partly (a step down, to level or one step); audited, and delivered by webhook as an action whose origin is appeal_upheld, appeal_reversed or appeal_partly. "
                    + $"The analyst is named by the {EntitiesApi.AnalystHeader} header. Role: analyst.")
                .WithMetadata(new DocumentedBody(typeof(AppealOutcomeRequest)))
                .WithMetadata(new DocumentedHeader(EntitiesApi.AnalystHeader, "The analyst who decides: 1 to 64 letters, digits, '.', '_' or '-' (a handle, not an e-mail address)."))
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict)
                .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        }

        return app;
    }

    private static async Task<Results<Ok<PageResponse<OpenAppeal>>, ProblemHttpResult>> ListAsync(
        string? kind, string? limit, string? continuation, QueryIndex index, IOptions<QueryApiOptions> options, CancellationToken ct)
    {
        if (kind is not null && EntityKinds.Find(kind) is null)
        {
            return EntitiesApi.BadRequest($"\"kind\" must be one of {EntityKinds.Names}; got '{EntitiesApi.Shorten(kind)}'.");
        }

        if (!QueryParameters.TryLimit(limit, 20, options.Value.MaxPageSize, out var max, out var problem))
        {
            return EntitiesApi.BadRequest(problem);
        }

        try
        {
            var page = await index.OpenAppealsAsync(kind, max, continuation, ct);
            return TypedResults.Ok(new PageResponse<OpenAppeal>(page.Items, page.Continuation));
        }
        catch (InvalidContinuationException e)
        {
            return EntitiesApi.BadRequest(e.Message);
        }
    }

    private static async Task<Results<Ok<AppealCaseResponse>, ProblemHttpResult>> GetAsync(
        EntityKinds.Kind kind, string id, string appealId, HttpResponse response, IGrainFactory grains, IAuditLog audit, QueryApiOptions options, CancellationToken ct)
    {
        if (IdsProblem(kind, id, appealId) is { } problem)
        {
            return problem;
        }

        if (await EntitiesApi.ReadViewAsync(kind, id, grains, options, ct) is not { } view)
        {
            return EntitiesApi.NotAnswering(kind, id, response, options);
        }

        return view.Appeals?.FirstOrDefault(a => a.AppealId == appealId) is { } appeal
            ? TypedResults.Ok(await ResponseAsync(kind, view, appeal, audit, ct))
            : NotFound(kind, id, appealId);
    }

    private static async Task<Results<Ok<AppealCaseResponse>, ProblemHttpResult>> DecideAsync(
        EntityKinds.Kind kind, string id, string appealId, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time, JsonSerializerOptions json, IntegrityMetrics metrics)
    {
        if (IdsProblem(kind, id, appealId) is { } idsProblem)
        {
            return idsProblem;
        }

        var (analyst, request, problem) = await EntitiesApi.ReadAnalystRequestAsync<AppealOutcomeRequest>(context, json);
        if (problem is not null)
        {
            return problem;
        }

        if (request is null)
        {
            return EntitiesApi.BadRequest("The body must be a JSON object such as {\"outcome\": \"reversed\", \"note\": \"why\"}.");
        }

        AnalystVerb? verb = request.Outcome?.Trim().ToLowerInvariant() switch
        {
            "upheld" => AnalystVerb.AppealUpheld,
            "reversed" => AnalystVerb.AppealReversed,
            "partly" => AnalystVerb.AppealPartly,
            _ => null,
        };
        if (verb is not { } v)
        {
            return EntitiesApi.BadRequest($"\"outcome\" must be one of upheld, reversed, partly; got {(request.Outcome is null ? "nothing" : $"'{EntitiesApi.Shorten(request.Outcome)}'")}.");
        }

        var note = request.Note?.Trim();
        if (EntitiesApi.NoteProblem(note, required: true, "an appeal's outcome") is { } noteProblem)
        {
            return EntitiesApi.BadRequest(noteProblem);
        }

        if (request.Level is { } level && (v != AnalystVerb.AppealPartly || level < 0 || level >= kind.TopLevel))
        {
            return EntitiesApi.BadRequest(v != AnalystVerb.AppealPartly
                ? "\"level\" belongs to a partial outcome only."
                : $"\"level\" of a partial outcome is a step below the current one: 0 to {kind.TopLevel - 1} ({string.Join(", ", kind.Ladder.Select((s, i) => $"{i} = {s}"))}).");
        }

        if (EntitiesApi.ActionId(request.ActionId) is not { } actionId)
        {
            return EntitiesApi.BadRequest(EntitiesApi.ActionIdRule);
        }

        var grain = kind.Grain(grains, id);
        var before = await grain.GetViewAsync();
        if (before.Appeals?.Any(a => a.AppealId == appealId) != true)
        {
            return NotFound(kind, id, appealId);
        }

        var command = new AnalystCommand(v, "analyst/" + actionId, EntitiesApi.Actor(context, analyst), time.GetUtcNow(), note, request.Level, null, appealId);
        var metricName = "appeal_" + request.Outcome!.Trim().ToLowerInvariant();
        EntityView view;
        try
        {
            view = await grain.ActAsync(command);
            metrics.AnalystAction(kind.Name, metricName, applied: true);
        }
        catch (AnalystCommandRejectedException e)
        {
            metrics.AnalystAction(kind.Name, metricName, applied: false);
            return TypedResults.Problem(detail: e.Message, statusCode: StatusCodes.Status409Conflict, title: "Outcome rejected");
        }

        var decided = view.Appeals!.First(a => a.AppealId == appealId);
        return TypedResults.Ok(await ResponseAsync(kind, view, decided, audit, context.RequestAborted));
    }

    /// <summary>The case with the contested decision as audited: its reasons with their evidence, event ids and policy version.</summary>
    private static async Task<AppealCaseResponse> ResponseAsync(EntityKinds.Kind kind, EntityView view, AppealCase appeal, IAuditLog audit, CancellationToken ct)
    {
        var trail = await audit.ReadEntityAsync(kind.Name, view.Id, appeal.DecidedStepAt, 500, ct);
        var contested = trail.FirstOrDefault(r => r.EntryId == appeal.DecisionId);
        return new AppealCaseResponse(kind.Name, view.Id, view.Level, view.Step, appeal,
            Ladders.StepName(kind.Domain, appeal.FromLevel), Ladders.StepName(kind.Domain, appeal.ToLevel), contested is null ? null : AuditEntry.From(contested));
    }

    private static ProblemHttpResult? IdsProblem(EntityKinds.Kind kind, string id, string appealId) =>
        EntityKinds.IdProblem(id) is { } idProblem ? EntitiesApi.BadRequest($"'{EntitiesApi.Shorten(id)}' is not a {kind.Name} id: {idProblem}")
        : EntityKinds.IdProblem(appealId) is { } appealProblem ? EntitiesApi.BadRequest($"'{EntitiesApi.Shorten(appealId)}' is not an appeal id: {appealProblem}")
        : null;

    private static ProblemHttpResult NotFound(EntityKinds.Kind kind, string id, string appealId) =>
        TypedResults.Problem(detail: $"The {kind.Name} '{id}' has no appeal '{appealId}': no appeal.filed for it has been applied.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
