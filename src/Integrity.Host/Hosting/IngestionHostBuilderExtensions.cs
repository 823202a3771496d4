using System.Globalization;
using System.Threading.RateLimiting;
using Integrity.Domain.Wire;
using Integrity.Host.Ingest;
using Integrity.Host.Security;
using Integrity.Storage.AzureTables.Journal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
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
        services.AddSingleton<ApiKeyStore>();
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
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    detail: $"This API key has exceeded its rate limit (Security:RateLimit); retry after {retryAfter} s.",
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests").ExecuteAsync(rejected.HttpContext);
            };
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
        services.AddSingleton(sp =>
        {
            var key = sp.GetRequiredService<IOptions<SecurityOptions>>().Value.IdentifierHashKey
                ?? throw new InvalidOperationException("Security:IdentifierHashKey is not configured.");
            return new EventParser(new IdentifierHasher(Convert.FromBase64String(key.Trim())), sp.GetRequiredService<IOptions<IngestOptions>>().Value.ToEventLimits());
        });
        services.AddSingleton(sp => new StoredLagTracker(sp.GetRequiredService<IEventJournal>().PartitionCount));
        services.AddHostedService<StoredLagMonitor>();
        services.AddSingleton<IngestHandler>();
        return builder;
    }

    /// <summary>Authentication, authorization (every endpoint declares its role), then the per-key rate limit.</summary>
    public static WebApplication UseIntegritySecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }
}
