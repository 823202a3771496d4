using System.Text.Json;
using Integrity.Host.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Integrity.Host.Hosting;

/// <summary>
/// Probes the way orchestrators ask for them (<c>Microsoft.Extensions.Diagnostics.HealthChecks</c>), open like
/// <c>/health</c> (they hold no data): <c>/health/live</c> answers 200 while the process serves HTTP at all (restart it
/// when it does not; storage being down is no reason to), <c>/health/ready</c> answers 200 only while storage answers,
/// this silo is active in the cluster and stored state is within the staleness bound, else 503 naming what is not.
/// </summary>
public static class HealthHostBuilderExtensions
{
    public const string LivePath = "/health/live";

    public const string ReadyPath = "/health/ready";

    private const string ReadyTag = "ready";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static WebApplicationBuilder AddIntegrityHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: [ReadyTag])
            .AddCheck<SiloActiveHealthCheck>("silo", tags: [ReadyTag])
            .AddCheck<StoredLagHealthCheck>("stored-lag", tags: [ReadyTag]);
        return builder;
    }

    public static WebApplication MapIntegrityHealth(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync }).AllowAnonymous();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = Word(report.Status),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = Word(e.Value.Status), description = e.Value.Description, data = e.Value.Data.Count > 0 ? e.Value.Data : null }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }

    private static string Word(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
