using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Integrity.Host.Apis;
using Integrity.Host.Query;
using Integrity.Host.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.FileProviders;

namespace Integrity.Host.Hosting;

/// <summary>
/// The trust-and-safety side of the host: query API, analyst actions, live decisions feed, and the dashboard (static
/// files embedded in this assembly, so the host serves them from any folder).
/// </summary>
public static class QueryApiHostBuilderExtensions
{
    public static WebApplicationBuilder AddIntegrityQueryApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<QueryApiOptions>(builder.Configuration.GetSection(QueryApiOptions.Section));
        services.TryAddTimeProvider();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower)));
        services.AddSingleton<StreamTickets>();
        services.AddSingleton<DecisionFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<DecisionFeed>());
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, StreamTicketAuthenticationHandler>(StreamTicketAuthenticationHandler.SchemeName, configureOptions: null);
        return builder;
    }

    /// <summary>The dashboard (<c>/</c>): a public page that holds no data; every read it makes needs a key.</summary>
    public static WebApplication UseIntegrityDashboard(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(Assembly.GetExecutingAssembly(), "Integrity.Host.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = c =>
            {
                c.Context.Response.Headers.CacheControl = "no-cache";
                c.Context.Response.Headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
                c.Context.Response.Headers.XContentTypeOptions = "nosniff";
            },
        });
        return app;
    }

    public static WebApplication MapQueryApi(this WebApplication app)
    {
        app.MapAccountApi();
        app.MapEntitiesApi();
        app.MapAppealsApi();
        app.MapAuditApi();
        app.MapListsApi();
        app.MapReportsApi();
        app.MapPolicyApi();
        app.MapDecisionStreamApi();
        app.MapWebhooksApi();
        return app;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
