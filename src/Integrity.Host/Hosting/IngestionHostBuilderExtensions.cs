using System.Globalization;
using System.Threading.RateLimiting;
using Integrity.Domain.Wire;
using Integrity.Grains.Telemetry;
using Integrity.Host.Ingest;
using Integrity.Host.Security;
using Integrity.Storage.AzureTables.Journal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
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
        services.AddValidatedOptions<SecurityOptions>(builder.Configuration.GetSection(SecurityOptions.Section));
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

        return builder;
    }

    /// <summary>The ingest endpoint's services: parser (keyed hashing), journal, dead-letter table, limits.</summary>
    public static WebApplicationBuilder AddIntegrityIngestion(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddValidatedOptions<IngestOptions>(configuration.GetSection(IngestOptions.Section));
        services.AddIntegrityJournal(configuration);
        services.AddOptions<TableEventJournalOptions>().Configure<IOptions<IngestOptions>>((options, ingest) => options.MaxPendingEvents = ingest.Value.MaxPendingEvents);
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
        var time = app.Services.GetRequiredService<TimeProvider>();
        var perAddress = new OnDemandTokenBuckets<HttpContext>(
            context => ClientAddress.Of(context) is { } address
                ? Bucket(address, context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.RateLimit.PerAddress)
                : null,
            time);
        var perKey = new OnDemandTokenBuckets<HttpContext>(
            context => context.User.FindFirst(ApiRoles.KeyHashClaim)?.Value is { } key
                ? Bucket(key, context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.RateLimit)
                : null,
            time);
        app.Use(Limited(perAddress, "This client address has exceeded its rate limit (Security:RateLimit:PerAddress)"));
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(Limited(perKey, "This API key has exceeded its rate limit (Security:RateLimit)"));
        return app;
    }

    /// <summary>A token bucket per key refilled with <c>PermitsPerSecond</c> a second, holding at most <c>Burst</c>; no queueing.</summary>
    private static TokenBucketLimit Bucket(string key, SecurityOptions.ApiRateLimitOptions limits) => new(key, limits.PermitsPerSecond, TimeSpan.FromSeconds(1), limits.Burst);

    private static TokenBucketLimit Bucket(string address, SecurityOptions.AddressRateLimitOptions limits) => new(address, limits.PermitsPerSecond, TimeSpan.FromSeconds(1), limits.Burst);

    /// <summary>
    /// Answers 429 when <paramref name="limiter"/> refuses the request. Not ASP.NET's rate-limiting middleware: it keeps a
    /// <c>PartitionedRateLimiter.Create</c> limiter of its own for endpoint policies, whose 100 ms timer would wake an
    /// idle host ten times a second for policies this API does not have.
    /// </summary>
    private static Func<HttpContext, RequestDelegate, Task> Limited(PartitionedRateLimiter<HttpContext> limiter, string what) => async (context, next) =>
    {
        using (var lease = limiter.AttemptAcquire(context))
        {
            if (!lease.IsAcquired)
            {
                await TooManyAsync(context, lease, what);
                return;
            }
        }

        await next(context);
    };

    private static async Task TooManyAsync(HttpContext context, RateLimitLease lease, string what)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(
            detail: $"{what}; retry after {retryAfter} s.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests").ExecuteAsync(context);
    }
}
