using Integrity.Host.Query;
using Integrity.Host.Security;
using Integrity.Storage.AzureTables.Index;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Apis;

/// <summary>
/// What dashboards list, all from the index tables kept up to date as decisions are audited (never by scanning
/// grains): decisions by time and kind, top-risk entities, open cases awaiting an analyst. Paged with an opaque
/// continuation token. Role: viewer.
/// </summary>
public static class ListsApi
{
    private static readonly string[] RecordKinds = ["decision", "action", "note", "appeal"];

    public static IEndpointRouteBuilder MapListsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1").WithTags("Lists");
        api.MapGet("/decisions", DecisionsAsync)
            .RequireAuthorization(ApiRoles.Viewer)
            .WithName("ListDecisions")
            .WithSummary("Decisions, analyst actions, notes and filed appeals, newest first by event time, in [from, to); filter by entity kind and type. Role: viewer.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/top-risk", TopRiskAsync)
            .RequireAuthorization(ApiRoles.Viewer)
            .WithName("ListTopRisk")
            .WithSummary("Sellers, listings or reviewers above the first step, highest step first, then highest score. Role: viewer.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/cases", CasesAsync)
            .RequireAuthorization(ApiRoles.Viewer)
            .WithName("ListOpenCases")
            .WithSummary("Open cases: entities the policy stepped up that no analyst has confirmed, reversed, reinstated or overridden since. Role: viewer.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<Results<Ok<PageResponse<IndexedDecision>>, ProblemHttpResult>> DecisionsAsync(
        string? kind, string? type, string? from, string? to, string? limit, string? continuation, QueryIndex index, IOptions<QueryApiOptions> options, CancellationToken ct)
    {
        if (kind is not null && EntityKinds.Find(kind) is null)
        {
            return EntitiesApi.BadRequest($"\"kind\" must be one of {EntityKinds.Names}; got '{EntitiesApi.Shorten(kind)}'.");
        }

        if (type is not null && !RecordKinds.Contains(type))
        {
            return EntitiesApi.BadRequest($"\"type\" must be one of {string.Join(", ", RecordKinds)}; got '{EntitiesApi.Shorten(type)}'.");
        }

        if (!QueryParameters.TryTime(from, "from", out var since, out var problem) || !QueryParameters.TryTime(to, "to", out var until, out problem)
            || !QueryParameters.TryLimit(limit, 50, options.Value.MaxPageSize, out var max, out problem))
        {
            return EntitiesApi.BadRequest(problem);
        }

        if (since is { } f && until is { } t && f >= t)
        {
            return EntitiesApi.BadRequest($"\"from\" ({f:O}) must be before \"to\" ({t:O}).");
        }

        return await PageAsync(() => index.DecisionsAsync(new DecisionQuery(kind, type, since, until, max, continuation), ct));
    }

    private static async Task<Results<Ok<PageResponse<RankedEntity>>, ProblemHttpResult>> TopRiskAsync(
        string? kind, string? limit, string? continuation, QueryIndex index, IOptions<QueryApiOptions> options, CancellationToken ct)
    {
        if (EntityKinds.Find(kind) is not { } k)
        {
            return EntitiesApi.BadRequest($"\"kind\" is required: one of {EntityKinds.Names}{(kind is null ? "" : $"; got '{EntitiesApi.Shorten(kind)}'")}.");
        }

        if (!QueryParameters.TryLimit(limit, 20, options.Value.MaxPageSize, out var max, out var problem))
        {
            return EntitiesApi.BadRequest(problem);
        }

        return await PageAsync(() => index.TopRiskAsync(k.Name, max, continuation, ct));
    }

    private static async Task<Results<Ok<PageResponse<RankedEntity>>, ProblemHttpResult>> CasesAsync(
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

        return await PageAsync(() => index.OpenCasesAsync(kind, max, continuation, ct));
    }

    private static async Task<Results<Ok<PageResponse<T>>, ProblemHttpResult>> PageAsync<T>(Func<Task<IndexPage<T>>> read)
    {
        try
        {
            var page = await read();
            return TypedResults.Ok(new PageResponse<T>(page.Items, page.Continuation));
        }
        catch (InvalidContinuationException e)
        {
            return EntitiesApi.BadRequest(e.Message);
        }
    }
}
