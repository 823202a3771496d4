using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Integrity.Host.Apis;
using Integrity.Host.Query;
using Integrity.Host.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.FileProviders;
using Microsoft.OpenApi;

namespace Integrity.Host.Hosting;

/// <summary>
/// The trust-and-safety side of the host: query API, analyst actions, live decisions feed, OpenAPI document, and
/// the dashboard and API pages (static files embedded in this assembly, so the host serves them from any folder).
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
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Integrity API",
                    Version = "v1",
                    Description = "Ingest events, read sellers, listings and reviewers with their reasons and audit trail, list decisions, "
                        + "top risk and open cases, act as an analyst, follow decisions live. Every endpoint but /health and this document "
                        + $"needs an API key in the {ApiKeyAuthenticationHandler.HeaderName} header; each names its role (ingest, analyst, viewer).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    Description = "An API key of the role the operation names.",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<DocumentedBody>().FirstOrDefault() is { } body)
                {
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken) },
                        },
                    };
                }

                var roles = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>()
                    .Select(a => a.Policy ?? a.Roles).OfType<string>().Distinct().ToList();
                var anonymous = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any();
                if (!anonymous)
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [] }];
                    operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                    operation.Extensions["x-integrity-role"] = new JsonNodeExtension(roles.Count == 0 ? "any" : string.Join(" ", roles));
                }
            });
        });
        return builder;
    }

    /// <summary>The dashboard (<c>/</c>) and the API page (<c>/api.html</c>): public pages that hold no data; every read they make needs a key.</summary>
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
        app.MapOpenApi().AllowAnonymous();
        app.MapAccountApi();
        app.MapEntitiesApi();
        app.MapListsApi();
        app.MapDecisionStreamApi();
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
