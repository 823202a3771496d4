using System.Globalization;
using System.Threading.RateLimiting;
using Integrity.Domain.Wire;
using Integrity.Grains.Telemetry;
using Integrity.Host.Ingest;
using Integrity.Host.Security;
using Integrity.Storage.AzureTables.Journal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Hosting;

/// <summary>API keys per role, per-key rate limits, and the durable ingest path (journal, dead letters, parser).</summary>
public static class IngestionHostBuilderExtensions
{
    /// <summary>
    /// API-key authentication, one authorization policy per role (an endpoint without one still needs a valid key),
    /// and a token-bucket rate limit per key. <paramref name="console"/> receives generated development keys.
    /// </summary>
    public static WebApplicationBuilder AddIntegritySecurity(this WebApplicationBuilder builder, TextWriter? console = null)
    {
        DevelopmentSecrets.Apply(builder.Configuration, console ?? Console.Out);
        var services = builder.Services;
        services.AddOptions<SecurityOptions>().Bind(builder.Configuration.GetSection(SecurityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddSingleton(sp => new ApiKeyStore(sp.GetRequiredService<IOptionsMonitor<SecurityOptions>>()));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new IdentifierHasher(Convert.FromBase64String(
            sp.GetRequiredService<IOptions<SecurityOptions>>().Value.IdentifierHashKey?.Trim() ?? throw new InvalidOperationException("Security:IdentifierHashKey is not configured."))));
        services.AddSingleton<AuthFailureLog>();
        // The authentication base class logs each failure under the handler's category, and authorization each refusal
        // (Information, per request); AuthFailureLog says it once per client and interval instead.
        builder.Logging.AddFilter(typeof(ApiKeyAuthenticationHandler).FullName, LogLevel.Warning);
        builder.Logging.AddFilter(typeof(StreamTicketAuthenticationHandler).FullName, LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Authorization.DefaultAuthorizationService", LogLevel.Warning);
        services.AddProblemDetails();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());
        foreach (var role in ApiRoles.All)
        {
            authorization.AddPolicy(role, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireRole(role));
        }

        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var key = context.User.FindFirst(ApiRoles.KeyHashClaim)?.Value;
                if (key is null)
                {
                    return RateLimitPartition.GetNoLimiter("anonymous");
                }

                var limits = context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.RateLimit;
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = (rejected, _) => TooManyAsync(rejected, "This API key has exceeded its rate limit (Security:RateLimit)");
        });
        return builder;
    }

    /// <summary>The ingest endpoint's services: parser (keyed hashing), journal, dead-letter table, limits.</summary>
    public static WebApplicationBuilder AddIntegrityIngestion(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddEventJournal(journal => journal
            .Bind(configuration.GetSection("Journal"))
            .Configure<IOptions<IngestOptions>>((options, ingest) =>
            {
                options.ConnectionString = configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.ConnectionString)}"];
                options.MaxPendingEvents = ingest.Value.MaxPendingEvents;
            }));
        services.AddSingleton(sp => new EventParser(sp.GetRequiredService<IdentifierHasher>(), sp.GetRequiredService<IOptions<IngestOptions>>().Value.ToEventLimits()));
        services.AddSingleton(sp => new StoredLagTracker(sp.GetRequiredService<IEventJournal>().PartitionCount));
        services.AddHostedService<StoredLagMonitor>();
        services.AddMetrics();
        services.TryAddSingleton<IntegrityMetrics>();
        services.AddSingleton<IngestHandler>();
        return builder;
    }

    /// <summary>
    /// The per-address rate limit (before any key is looked at, so requests without a valid key are limited too),
    /// authentication, authorization (every endpoint declares its role), then the per-key rate limit.
    /// </summary>
    public static WebApplication UseIntegritySecurity(this WebApplication app)
    {
        app.UseRateLimiter(new RateLimiterOptions
        {
            GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (ClientAddress.Of(context) is not { } address)
                {
                    return RateLimitPartition.GetNoLimiter("no address");
                }

                var limits = context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.RateLimit.PerAddress;
                return RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            }),
            OnRejected = (rejected, _) => TooManyAsync(rejected, "This client address has exceeded its rate limit (Security:RateLimit:PerAddress)"),
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    private static async ValueTask TooManyAsync(OnRejectedContext rejected, string what)
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(
            detail: $"{what}; retry after {retryAfter} s.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests").ExecuteAsync(rejected.HttpContext);
    }
}
