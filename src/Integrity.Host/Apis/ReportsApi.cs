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
        app.MapGet("/v1/reports/verdicts", VerdictsAsync)
            .RequireAuthorization(ApiRoles.Viewer)
            .WithTags("Reports")
            .WithName("GetVerdicts")
            .WithSummary("Analysts' verdicts as labels: every policy decision an analyst (or an appeal) confirmed or reversed in [from, to) (default the last 30 days, "
                + "at most 92), each once by its latest verdict, with the entity, the policy version, the label (positive: the decision stood) and the weight each "
                + "reason carried in it. Saved to a file, it is what the backtest's fit --verdicts fits signal weights to. Role: viewer.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<Results<Ok<VerdictExport>, ProblemHttpResult>> VerdictsAsync(string? from, string? to, AuditOutcomes outcomes, TimeProvider time, CancellationToken ct)
    {
        if (!QueryParameters.TryRange(from, to, time.GetUtcNow(), DefaultRange, MaxRange, out var start, out var end, out var problem))
        {
            return EntitiesApi.BadRequest(problem);
        }

        var read = await outcomes.ReadVerdictsAsync(start, end, cancellationToken: ct);
        var labelled = RuleVerdict.Latest(read.Verdicts)
            .OrderBy(v => v.At).ThenBy(v => v.DecisionId, StringComparer.Ordinal)
            .Select(v => new LabelledDecision(v.EntityKind ?? "", v.EntityId ?? "", v.DecisionId, v.PolicyVersion, v.Label == OutcomeLabel.Confirmed, v.Label, v.ActionKind, v.ActionId, v.At,
                v.ReasonWeights ?? v.ReasonCodes.ToDictionary(c => c, _ => 0.0)))
            .ToList();
        return TypedResults.Ok(new VerdictExport(start, end, time.GetUtcNow(), read.Actions, read.Unpaired, read.Truncated, labelled));
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
/// One policy decision labelled by its latest verdict: <see cref="Positive"/> when it stood (confirmed, upheld on
/// appeal), not when it was undone (reversed, reinstated, reversed on appeal); <see cref="Reasons"/> the weight each reason
/// that counted carried in it.
/// </summary>
public sealed record LabelledDecision(
    string EntityKind, string EntityId, string DecisionId, string PolicyVersion, bool Positive, OutcomeLabel Label, string ActionKind, string ActionId,
    DateTimeOffset At, IReadOnlyDictionary<string, double> Reasons);

/// <summary>
/// Analysts' verdicts as labels (<see cref="Verdicts"/>), for the verdicts given in [<see cref="From"/>, <see cref="To"/>):
/// <see cref="Actions"/> labelling actions read, <see cref="Unpaired"/> of them with no policy decision to rule on,
/// <see cref="Truncated"/> when the range held more than a read pairs.
/// </summary>
public sealed record VerdictExport(DateTimeOffset From, DateTimeOffset To, DateTimeOffset GeneratedAt, int Actions, int Unpaired, bool Truncated, IReadOnlyList<LabelledDecision> Verdicts);

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
