using Integrity.Contracts.Audit;
using Integrity.Contracts.Services;
using Integrity.Host.Query;
using Integrity.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Integrity.Host.Apis;

/// <summary>
/// The audit trail as evidence (analyst): an entity's whole trail with its hash chain, as JSON or CSV
/// (<c>/v1/{kind}s/{id}/audit/export</c>); the chain checked in place (<c>/v1/{kind}s/{id}/audit/verify</c>); and every
/// entity the hourly digests of a time range name (<c>/v1/admin/audit/verify</c>), which shows a trail deleted whole.
/// </summary>
public static class AuditApi
{
    /// <summary>The longest range one admin verify reads (its digests are read hour partition by hour partition).</summary>
    public static readonly TimeSpan MaxVerifyRange = TimeSpan.FromDays(31);

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        foreach (var kind in EntityKinds.All)
        {
            var title = char.ToUpperInvariant(kind.Name[0]) + kind.Name[1..];
            var api = app.MapGroup($"/v1/{kind.Plural}").WithTags($"{title}s");
            api.MapGet("/{id}/audit/export", (string id, string? format, HttpContext context, IAuditLog audit, TimeProvider time, CancellationToken ct) =>
                    ExportAsync(kind, id, format, context, audit, time, ct))
                .RequireAuthorization(ApiRoles.Analyst)
                .WithName($"Export{title}Audit")
                .WithSummary($"The {kind.Name}'s whole audit trail with its hash chain (every reason, evidence event id, policy version, analyst action and note; "
                    + "identifiers as stored, personal ones as keyed hashes), its chain head, its hourly digests and the verdict on them. "
                    + "JSON, or CSV with format=csv or Accept: text/csv. Role: analyst.")
                .WithMetadata(new DocumentedCsv("The same export as CSV: one line per entry, then the chain head and the digests (docs/audit-chain.md)."))
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound);
            api.MapGet("/{id}/audit/verify", (string id, IAuditLog audit, CancellationToken ct) => VerifyAsync(kind, id, audit, ct))
                .RequireAuthorization(ApiRoles.Analyst)
                .WithName($"Verify{title}Audit")
                .WithSummary($"Checks the {kind.Name}'s stored trail against its hash chain, chain head and hourly digests, and names the first row "
                    + "edited, inserted or removed (200 either way: see intact). Role: analyst.")
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound);
        }

        app.MapGet("/v1/admin/audit/verify", VerifyRangeAsync)
            .RequireAuthorization(ApiRoles.Analyst)
            .WithTags("Admin")
            .WithName("VerifyAuditRange")
            .WithSummary("Checks every entity that the hourly digests of [from, to) name (default: the last 24 hours, at most 31 days): a trail edited, "
                + "cut short or deleted whole is listed with the first row changed. Role: analyst.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<Results<Ok<AuditExport>, ContentHttpResult, ProblemHttpResult>> ExportAsync(
        EntityKinds.Kind kind, string id, string? format, HttpContext context, IAuditLog audit, TimeProvider time, CancellationToken ct)
    {
        if (EntityKinds.IdProblem(id) is { } problem)
        {
            return EntitiesApi.BadRequest($"'{EntitiesApi.Shorten(id)}' is not a {kind.Name} id: {problem}");
        }

        bool csv;
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "":
                csv = WantsCsv(context.Request);
                break;
            case "json":
                csv = false;
                break;
            case "csv":
                csv = true;
                break;
            default:
                return EntitiesApi.BadRequest($"\"format\" must be json or csv; got '{EntitiesApi.Shorten(format)}'.");
        }

        var trail = await audit.ReadTrailAsync(kind.Name, id, withDigests: true, ct);
        if (trail.Entries.Count == 0 && trail.Head is null && trail.Digests.Count == 0)
        {
            return NotFound(kind, id);
        }

        var export = AuditExport.Create(trail, time.GetUtcNow());
        if (!csv)
        {
            return TypedResults.Ok(export);
        }

        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{kind.Name}-{SafeFileName(id)}-audit.csv\"";
        return TypedResults.Text(AuditExportCsv.Write(export), AuditExportCsv.ContentType + "; charset=utf-8");
    }

    private static async Task<Results<Ok<AuditVerification>, ProblemHttpResult>> VerifyAsync(EntityKinds.Kind kind, string id, IAuditLog audit, CancellationToken ct)
    {
        if (EntityKinds.IdProblem(id) is { } problem)
        {
            return EntitiesApi.BadRequest($"'{EntitiesApi.Shorten(id)}' is not a {kind.Name} id: {problem}");
        }

        var verdict = await audit.VerifyEntityAsync(kind.Name, id, ct);
        return verdict.Entries == 0 && verdict.HeadSeq == 0 && verdict.DigestsChecked == 0 ? NotFound(kind, id) : TypedResults.Ok(verdict);
    }

    private static async Task<Results<Ok<AuditRangeVerification>, ProblemHttpResult>> VerifyRangeAsync(string? from, string? to, IAuditLog audit, TimeProvider time, CancellationToken ct)
    {
        if (!QueryParameters.TryRange(from, to, time.GetUtcNow(), TimeSpan.FromHours(24), MaxVerifyRange, out var start, out var end, out var problem))
        {
            return EntitiesApi.BadRequest(problem);
        }

        return TypedResults.Ok(await audit.VerifyRangeAsync(start, end, cancellationToken: ct));
    }

    /// <summary>Asked for CSV: <c>text/csv</c> accepted with a higher quality than JSON (or JSON not accepted at all).</summary>
    private static bool WantsCsv(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        double Quality(string type) => accept.Where(a => a.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        var csv = Quality(AuditExportCsv.ContentType);
        return csv > 0 && csv > Quality("application/json");
    }

    private static string SafeFileName(string id) => new([.. id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);

    private static ProblemHttpResult NotFound(EntityKinds.Kind kind, string id) =>
        TypedResults.Problem(detail: $"No audit trail of {kind.Name} '{id}' is stored, nor any digest naming it.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
