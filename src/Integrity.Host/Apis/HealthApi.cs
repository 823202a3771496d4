using System.Text.Json.Serialization;
using Azure.Data.Tables;
using Integrity.Host.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Integrity.Host.Apis;

/// <summary>
/// Liveness for load balancers: open (it reveals no data) and says whether storage answers: the shared account, and
/// grain state's when it has one of its own (<c>Storage:GrainStateConnectionString</c>).
/// </summary>
public static class HealthApi
{
    public sealed record HealthReport(string Status, string Storage, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? GrainStateStorage = null);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", CheckAsync)
            .AllowAnonymous()
            .WithTags("Health")
            .WithName("GetHealth")
            .Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Whether storage answers (both accounts when grain state has its own): 200 healthy, 503 unhealthy. No key.");
        return app;
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> CheckAsync(
        TableServiceClient tables, [FromKeyedServices(StorageOptions.GrainStateServiceKey)] TableServiceClient? grainState, CancellationToken cancellationToken)
    {
        var storage = await AnswersAsync(tables, cancellationToken);
        var grainStateAnswers = grainState is null ? (bool?)null : await AnswersAsync(grainState, cancellationToken);
        var report = new HealthReport(
            storage && grainStateAnswers is not false ? "healthy" : "unhealthy",
            storage ? "ok" : "unreachable",
            grainStateAnswers switch { null => null, true => "ok", false => "unreachable" });
        return report.Status == "healthy" ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Whether the account answers a one-row table listing within 5 s.</summary>
    internal static async Task<bool> AnswersAsync(TableServiceClient tables, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: timeout.Token))
            {
                break;
            }

            return true;
        }
        catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException or AggregateException)
        {
            return false;
        }
    }
}
