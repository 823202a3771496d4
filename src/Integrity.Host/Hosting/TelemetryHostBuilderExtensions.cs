using Integrity.Grains.Telemetry;
using Integrity.Host.Security;
using Integrity.Host.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Integrity.Host.Hosting;

/// <summary>
/// OpenTelemetry for the host: the engine's meter (<see cref="IntegrityMetrics"/>), Orleans', ASP.NET Core's,
/// HttpClient's and the runtime's, scraped at <c>/metrics</c> (Prometheus text, viewer role); with the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, metrics, traces (<see cref="IntegrityActivities"/>, ASP.NET Core, HttpClient)
/// and logs also go out over OTLP. Without it no spans are recorded at all.
/// </summary>
public static class TelemetryHostBuilderExtensions
{
    /// <summary>Orleans' own meter (grain calls, activations, messaging, streams, storage).</summary>
    public const string OrleansMeterName = "Microsoft.Orleans";

    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddIntegrityTelemetry(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(TelemetryOptions.Section);
        var services = builder.Services;
        services.AddValidatedOptions<TelemetryOptions>(section);
        services.AddMetrics();
        services.TryAddSingleton<IntegrityMetrics>();
        services.AddHostedService<EngineGaugesMonitor>();

        var options = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(IntegrityMetrics.MeterName, OrleansMeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (options.PrometheusEndpoint)
                {
                    // No response cache: a scrape sees every count up to its own moment (Prometheus scrapes seconds apart anyway).
                    metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                }
            });
        if (otlp)
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(IntegrityActivities.SourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbeOrScrape(context.Request.Path))
                    .AddHttpClientInstrumentation())
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Counts and times ingest requests; goes before the rate limiters and authentication, which answer some of them.</summary>
    public static WebApplication UseIntegrityTelemetry(this WebApplication app)
    {
        app.UseMiddleware<IngestRequestMetrics>();
        return app;
    }

    /// <summary>
    /// <c>/metrics</c> for keys with the viewer role: monitoring reads, like a dashboard, and must not be able to act
    /// (analyst) or to send events (ingest); the numbers carry no identifiers.
    /// </summary>
    public static WebApplication MapIntegrityTelemetry(this WebApplication app)
    {
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelemetryOptions>>().Value.PrometheusEndpoint)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(ApiRoles.Viewer);
        }

        return app;
    }

    private static bool IsProbeOrScrape(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase);
}
