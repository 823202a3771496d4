using Integrity.Domain.Outcomes;
using Integrity.Host.Query;
using Integrity.Host.Security;
using Integrity.Storage.AzureTables.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Integrity.Host.Apis;

/// <summary>
/// Which rules are noisy (<c>GET /v1/reports/reasons</c>): analysts' verdicts on policy decisions in a time range,
/// counted per reason code and policy version with a Wilson interval of the precision. Role: viewer — it is a dashboard's
/// read of aggregate counts (codes, versions, numbers; no entity, no identifier, no evidence), which acts on nothing;
/// analyst keys read it too, and the policy owners who tune weights need not hold a key that can close shops.
/// </summary>
public static class ReportsApi
{
    /// <summary>The range when none is given: the last 30 days.</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);

    /// <summary>The longest range one report reads: a quarter.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(92);

    /// <summary>The precision a rule should reach when none is asked for: under half its decisions standing is noisy.</summary>
    public const double DefaultThreshold = 0.5;

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/reports/reasons", ReasonsAsync)
            .RequireAuthorization(ApiRoles.Viewer)
            .WithTags("Reports")
            .WithName("GetReasonReport")
            .WithSummary("Which rules are noisy: for analyst verdicts given in [from, to) (default the last 30 days, at most 92), each paired with the "
                + "policy decision it rules on, per reason code and policy version and per policy version: confirmed, reversed (reinstated counts as "
                + "reversed), precision = confirmed / (confirmed + reversed) with its 95% Wilson interval, and a status against threshold (default 0.5): "
                + "noisy (upper bound under it), watch (interval straddles it), ok. Worst first. Role: viewer.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<Results<Ok<ReasonReportResponse>, ProblemHttpResult>> ReasonsAsync(
        string? from, string? to, string? threshold, AuditOutcomes outcomes, TimeProvider time, CancellationToken ct)
    {
        if (!QueryParameters.TryRange(from, to, time.GetUtcNow(), DefaultRange, MaxRange, out var start, out var end, out var problem))
        {
            return EntitiesApi.BadRequest(problem);
        }

        var line = DefaultThreshold;
        if (!string.IsNullOrEmpty(threshold)
            && !(double.TryParse(threshold, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out line) && line > 0 && line < 1))
        {
            return EntitiesApi.BadRequest($"\"threshold\" must be a precision between 0 and 1 (exclusive), e.g. 0.5; got '{EntitiesApi.Shorten(threshold)}'.");
        }

        var read = await outcomes.ReadVerdictsAsync(start, end, cancellationToken: ct);
        var report = ReasonPrecisionReport.Build(read.Verdicts, line);
        return TypedResults.Ok(new ReasonReportResponse(start, end, time.GetUtcNow(), line, 0.95, read.Actions, read.Unpaired, read.Truncated,
            report.Decisions, report.Confirmed, report.Reversed, report.Reasons, report.Policies, OutcomeLabels.ByActionKind));
    }
}

/// <summary>
/// The noisy-rules report. <see cref="Actions"/>: labelling actions in the range; <see cref="Unpaired"/>: those with no
/// policy decision to rule on (a confirmation before any decision, a reversal of an analyst's override);
/// <see cref="Decisions"/>: decisions labelled, each once by its latest verdict; <see cref="Reasons"/> per reason code and
/// policy version, <see cref="Policies"/> per policy version; <see cref="Labels"/> which action kinds count as which label.
/// </summary>
public sealed record ReasonReportResponse(
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset GeneratedAt,
    double Threshold,
    double Confidence,
    int Actions,
    int Unpaired,
    bool Truncated,
    int Decisions,
    int Confirmed,
    int Reversed,
    IReadOnlyList<PrecisionRow> Reasons,
    IReadOnlyList<PrecisionRow> Policies,
    IReadOnlyDictionary<string, OutcomeLabel> Labels);
