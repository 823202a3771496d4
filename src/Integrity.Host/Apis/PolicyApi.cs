using System.Text.Json;
using Integrity.Contracts;
using Integrity.Contracts.Services;
using Integrity.Domain.Coverage;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.Serialization;
using Integrity.Grains.Policy;
using Integrity.Host.Query;
using Integrity.Host.Security;
using Integrity.Storage.AzureTables.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Apis;

/// <summary>
/// The policy in force and the candidate beside it in shadow: which is which (viewer), how their decisions compare over
/// a time range (viewer: counts per entity kind and reason code, and entities to open, which viewers read anyway), and
/// the promotion of the candidate (admin, audited). Promotion takes an admin key: it changes how every entity of the
/// marketplace is decided from then on, on every silo, as an edit of the <c>Policy</c> configuration would, which is the
/// operators' and not an analyst's, whose key acts on one entity at a time; a leaked analyst key cannot rewrite the rules.
/// </summary>
public static class PolicyApi
{
    /// <summary>Entity kind and id of the policy's own audit trail (promotions).</summary>
    public const string AuditKind = "policy";

    public const string AuditId = "active";

    /// <summary>The range when none is given: the last 7 days (event time).</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(7);

    /// <summary>The longest range one comparison reads: a quarter.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(92);

    /// <summary>Most decisions read per policy for one comparison; a range with more is compared on its oldest ones, marked truncated.</summary>
    public const int MaxDecisions = 50_000;

    public const int MaxExamples = 200;

    public sealed record PromotionView(string Version, string ReplacedVersion, DateTimeOffset At, string Actor, string? Note);

    /// <summary>
    /// <see cref="Active"/> decides (<see cref="ConfiguredVersion"/> is what this silo's configuration names; they differ
    /// while a promotion supersedes it); <see cref="Candidate"/> runs in shadow (null: none); <see cref="History"/> the
    /// promotions as audited, oldest first.
    /// </summary>
    public sealed record PolicyStatus(string Active, string? Candidate, string ConfiguredVersion, PromotionView? Promotion, IReadOnlyList<AuditEntry> History);

    public sealed record PromoteRequest(string? Version, string? Note);

    /// <summary>An entity to open: <see cref="Link"/> is its API path (the dashboard opens its page).</summary>
    public sealed record ExampleView(string EntityKind, string EntityId, int Level, string Step, DateTimeOffset At, string? ActiveDecisionId, string? CandidateDecisionId, IReadOnlyList<string> ReasonCodes, string Link);

    public sealed record ComparisonExamples(IReadOnlyList<ExampleView> Both, IReadOnlyList<ExampleView> OnlyActive, IReadOnlyList<ExampleView> OnlyCandidate);

    /// <summary>
    /// The comparison of the active policy's real decisions and the candidate's would-be ones with event time in
    /// [from, to). <see cref="Truncated"/>: a side held more than <see cref="MaxDecisions"/>; <see cref="Unreadable"/>:
    /// stored decisions whose details could not be read (not compared).
    /// </summary>
    public sealed record PolicyComparisonResponse(
        DateTimeOffset From, DateTimeOffset To, string ActiveVersion, string CandidateVersion, bool Truncated, int Unreadable,
        int Active, int Candidate, int Both, int OnlyActive, int OnlyCandidate,
        IReadOnlyList<ComparisonRow> ByEntityKind, IReadOnlyList<ComparisonRow> ByReason, ComparisonExamples Examples);

    public static IEndpointRouteBuilder MapPolicyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/policy").WithTags("Policy");
        api.MapGet("", StatusAsync)
            .RequireAuthorization(ApiRoles.Viewer)
            .WithName("GetPolicyStatus")
            .WithSummary("The policy version that decides, the candidate running in shadow (null: none), the promotion in force and the promotions as audited. Role: viewer.");
        api.MapGet("/compare", CompareAsync)
            .RequireAuthorization(ApiRoles.Viewer)
            .WithName("ComparePolicies")
            .WithSummary("The active policy's real decisions against the candidate's would-be ones, event time in [from, to) (default the last 7 days, at most 92): "
                + "decisions both made (same entity, same step), only the candidate, only the active one; per entity kind and reason code; and entities to open "
                + "(examples, newest first, default 20 each). active= and candidate= name other versions (default: those running now). Role: viewer.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/coverage", Coverage)
            .RequireAuthorization(ApiRoles.Viewer)
            .WithName("GetEvidenceCoverage")
            .WithSummary("What the platform sends, as this silo knows it (within Coverage:RefreshInterval of the whole deployment): per evidence source the events counted, "
                + "the first and latest event time, whether it counts as sent (observed once Coverage:MinEvents arrived, or declared under Coverage:Declared); "
                + "and per signal whether it counts here, the sources it needs and, when it does not, why. A signal without its evidence still runs: "
                + "where it trips, the entity's reasons show it at weight 0, marked inactive, saying what is missing. Role: viewer.");
        api.MapPost("/promote", PromoteAsync)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("PromoteCandidatePolicy")
            .WithSummary("Makes the candidate running in shadow the active policy on every silo (this one at once, the others within PolicyPromotion:RefreshInterval), "
                + "durably; audited (entity kind policy, id active) with who, why, from and to. version must name the running candidate. Role: admin.")
            .WithMetadata(new DocumentedBody(typeof(PromoteRequest)))
            .WithMetadata(new DocumentedHeader(EntitiesApi.AnalystHeader, "Who promotes: 1 to 64 letters, digits, '.', '_' or '-' (a handle, not an e-mail address)."))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    private static Ok<CoverageReport> Coverage(EvidenceCoverageTracker evidence) => TypedResults.Ok(evidence.Current.Report());

    private static async Task<Ok<PolicyStatus>> StatusAsync(ConfiguredPolicyProvider provider, AuditTable audit, CancellationToken ct) =>
        TypedResults.Ok(await StatusOfAsync(provider, audit, ct));

    private static async Task<PolicyStatus> StatusOfAsync(ConfiguredPolicyProvider provider, AuditTable audit, CancellationToken ct)
    {
        var selection = provider.Selection;
        var history = await audit.ReadEntityAsync(AuditKind, AuditId, null, 500, ct);
        var promotion = selection.Promotion is { } p ? new PromotionView(p.Version, p.ReplacedVersion, p.At, p.Actor, p.Note) : null;
        return new PolicyStatus(selection.Active.Version, selection.Candidate?.Version, ConfiguredVersion(selection), promotion, [.. history.Select(AuditEntry.From)]);
    }

    private static string ConfiguredVersion(PolicySelection selection) => selection.Promotion?.ReplacedVersion ?? selection.Active.Version;

    private static async Task<Results<Ok<PolicyComparisonResponse>, ProblemHttpResult>> CompareAsync(
        string? from, string? to, string? active, string? candidate, string? examples,
        ConfiguredPolicyProvider provider, AuditTable audit, IShadowDecisionLog shadows, TimeProvider time, CancellationToken ct)
    {
        if (!QueryParameters.TryRange(from, to, time.GetUtcNow(), DefaultRange, MaxRange, out var start, out var end, out var problem))
        {
            return EntitiesApi.BadRequest(problem);
        }

        if (!QueryParameters.TryLimit(examples, PolicyComparison.DefaultExamples, MaxExamples, out var exampleCount, out problem, "examples"))
        {
            return EntitiesApi.BadRequest(problem);
        }

        var selection = provider.Selection;
        var activeVersion = string.IsNullOrEmpty(active) ? selection.Active.Version : active;
        var candidateVersion = string.IsNullOrEmpty(candidate) ? selection.Candidate?.Version : candidate;
        if (candidateVersion is null)
        {
            return TypedResults.Problem(
                detail: $"No candidate policy runs in shadow now (configure the {ConfiguredPolicyProvider.CandidateSection} section), and none was named: pass candidate=<version> to compare one that ran before.",
                statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }

        if (activeVersion.Length > 128 || candidateVersion.Length > 128)
        {
            return EntitiesApi.BadRequest("\"active\" and \"candidate\" are policy versions of at most 128 characters.");
        }

        var real = audit.ReadDecisionsAsync(start, end, activeVersion, MaxDecisions, ct);
        var shadow = shadows.ReadRangeAsync(start, end, candidateVersion, MaxDecisions, ct);
        var (activeSide, activeUnreadable) = Compared((await real).Records);
        var (candidateSide, candidateUnreadable) = Compared((await shadow).Records);
        var report = PolicyComparison.Compare(activeSide, candidateSide, exampleCount);
        return TypedResults.Ok(new PolicyComparisonResponse(
            start, end, activeVersion, candidateVersion, (await real).Truncated || (await shadow).Truncated, activeUnreadable + candidateUnreadable,
            report.Active, report.Candidate, report.Both, report.OnlyActive, report.OnlyCandidate, report.ByEntityKind, report.ByReason,
            new ComparisonExamples([.. report.BothExamples.Select(View)], [.. report.OnlyActiveExamples.Select(View)], [.. report.OnlyCandidateExamples.Select(View)])));
    }

    /// <summary>Stored decisions (audit rows and shadow rows alike carry the decision as details) as the comparison sees them.</summary>
    private static (List<ComparedDecision> Decisions, int Unreadable) Compared(IReadOnlyList<AuditRecord> records)
    {
        var decisions = new List<ComparedDecision>(records.Count);
        var unreadable = 0;
        foreach (var record in records)
        {
            try
            {
                decisions.Add(ComparedDecisions.From(DomainJson.Deserialize<Decision>(record.Details)));
            }
            catch (JsonException)
            {
                unreadable++;
            }
        }

        return (decisions, unreadable);
    }

    private static ExampleView View(ComparisonExample e) =>
        new(e.EntityKind, e.EntityId, e.Level, e.Step, e.At, e.ActiveDecisionId, e.CandidateDecisionId, e.ReasonCodes, $"/v1/{e.EntityKind}s/{Uri.EscapeDataString(e.EntityId)}");

    private static async Task<Results<Ok<PolicyStatus>, ProblemHttpResult>> PromoteAsync(
        HttpContext context, ConfiguredPolicyProvider provider, IPolicyPromotionStore store, AuditTable audit, TimeProvider time, IOptions<JsonOptions> json)
    {
        if (WebhooksApi.Analyst(context) is not { } actor)
        {
            return WebhooksApi.AnalystProblem();
        }

        var (request, problem) = await WebhooksApi.ReadAsync<PromoteRequest>(context, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(request!.Version))
        {
            return EntitiesApi.BadRequest("\"version\" must name the candidate policy to promote (GET /v1/policy shows it).");
        }

        if (request.Note is { Length: > EntitiesApi.MaxNoteLength })
        {
            return EntitiesApi.BadRequest($"\"note\" is at most {EntitiesApi.MaxNoteLength} characters.");
        }

        var selection = provider.Selection;
        if (selection.Candidate is not { } candidate)
        {
            return TypedResults.Problem(detail: $"No candidate policy runs in shadow; {selection.Active.Version} is active.", statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }

        if (candidate.Version != request.Version)
        {
            return TypedResults.Problem(
                detail: $"The candidate running in shadow is '{candidate.Version}', not '{EntitiesApi.Shorten(request.Version)}'.", statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }

        // Audited before it is stored: no promotion in force without its audit row (a failed store write is answered 5xx,
        // and promoting again adds a second row).
        var now = time.GetUtcNow();
        var promotion = new PolicyPromotion(candidate.Version, ConfiguredVersion(selection), candidate, now, actor, request.Note);
        var details = JsonSerializer.Serialize(new { action = "promote", from = selection.Active.Version, to = candidate.Version, note = request.Note }, JsonSerializerOptions.Web);
        await audit.AppendAsync(
            [new AuditRecord(AuditKind, AuditId, $"policy/promote/{candidate.Version}/{now.UtcTicks}", "action", now, now, null, null, candidate.Version, actor, details)],
            context.RequestAborted);
        await store.WriteAsync(promotion, context.RequestAborted);
        provider.Apply(promotion);
        return TypedResults.Ok(await StatusOfAsync(provider, audit, context.RequestAborted));
    }
}
