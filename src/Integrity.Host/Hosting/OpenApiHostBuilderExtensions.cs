using System.Text.Json.Nodes;
using Integrity.Host.Apis;
using Integrity.Host.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Integrity.Host.Hosting;

/// <summary>
/// The API's OpenAPI document (<c>/openapi/v1.json</c>, Microsoft.AspNetCore.OpenApi) and its reference page
/// (<c>/api</c>, Scalar). The document states what each endpoint really demands, read from its endpoint metadata:
/// which key (or stream ticket), which role, and the 401/403/429 the security middleware answers before the endpoint
/// runs. It is linted with Redocly's recommended rules and a C# client is generated from it in the tests.
/// </summary>
public static class OpenApiHostBuilderExtensions
{
    public const string DocumentPath = "/openapi/v1.json";

    public const string ReferencePath = "/api";

    /// <summary>The dashboard's earlier hand-written API page; kept as a redirect to <see cref="ReferencePath"/>.</summary>
    public const string LegacyPagePath = "/api.html";

    private const string StreamTicketScheme = "StreamTicket";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Health"] = "Probes for load balancers and orchestrators. No key.",
        ["Account"] = "Who the presented API key is.",
        ["Admin"] = "Operators' views: journal progress, the Orleans Dashboard session. Analyst keys.",
        ["Ingest"] = "Where platforms send their events. Ingest keys.",
        ["Sellers"] = "A seller's state, history and analyst actions.",
        ["Listings"] = "A listing's state, history and analyst actions.",
        ["Reviewers"] = "A reviewer's state, history and analyst actions.",
        ["Lists"] = "Decisions, top risk and open cases, from the index tables.",
        ["Appeals"] = "Appeals filed by platforms (appeal.filed events): the queue analysts take first, each case with the decision it contests, and its audited outcome.",
        ["Live feed"] = "Decisions as they are audited, as server-sent events.",
        ["Monitoring"] = "Prometheus metrics. Viewer keys.",
        ["Reports"] = "Which rules are noisy: analysts' verdicts on policy decisions, per reason code and policy version, with Wilson intervals. Viewer keys.",
        ["Webhooks"] = "Signed deliveries of audited decisions to the platform's endpoints: listed to viewers, registered by admin keys, paused, resumed and replayed by analysts.",
        ["Policy"] = "The policy that decides and the candidate running beside it in shadow: which is which and how their decisions compare (viewer keys), and the audited promotion of the candidate (admin keys).",
    };

    public static WebApplicationBuilder AddIntegrityOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer(DescribeDocumentAsync);
            o.AddOperationTransformer(DescribeOperationAsync);
            o.AddSchemaTransformer(TypeStringEnums);
        });
        return builder;
    }

    /// <summary>The document (anonymous: it holds no data), the Scalar page over it, and the old page's address redirected there.</summary>
    public static WebApplication MapIntegrityOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, o => o
                .WithTitle("Integrity API")
                .WithOpenApiRoutePattern(DocumentPath)
                .AddPreferredSecuritySchemes([ApiKeyAuthenticationHandler.SchemeName])
                // The key the dashboard holds in this tab fills the ApiKey scheme (wwwroot/api-reference.js); one typed
                // into the page's authentication panel serves every operation until the page is left. Not persisted
                // to local storage: like the dashboard, a key stays with its tab.
                .WithJavaScriptConfiguration("/api-reference.js")
                .WithShowExtensions("x-integrity-role")
                // Nothing leaves the machine: no telemetry, no hosted AI agent or MCP, no toolbar of hosted services.
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools())
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapGet(LegacyPagePath, () => TypedResults.Redirect(ReferencePath + "/", permanent: true)).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Integrity API",
            Version = "v1",
            Description = "Ingest marketplace events; read sellers, listings and reviewers with their reasons and audit trail; list decisions, "
                + "top risk and open cases; act as an analyst; follow decisions live; scrape metrics.\n\n"
                + $"Every endpoint needs an API key in the `{ApiKeyAuthenticationHandler.HeaderName}` header (or `Authorization: ApiKey <key>`) "
                + "except the probes `/health`, `/health/live`, `/health/ready` and this document. Each operation names its role: "
                + "`ingest` keys only send events, `viewer` keys read (and scrape `/metrics`), `analyst` keys read and act "
                + "(and open the Orleans Dashboard at `/orleans-dashboard/`). No key or an unknown key is answered 401, a key of another role 403. "
                + "Every request counts against a rate limit per client address, and a request with a key against its key's too: over either, 429 with `Retry-After`.",
            // No licence is granted (the repository has none): an SPDX reference to a proprietary licence says so.
            License = new OpenApiLicense { Name = "Proprietary: all rights reserved", Identifier = "LicenseRef-Proprietary" },
        };

        // Relative, so the document is the same on every host (it is checked in and compared with the live one).
        document.Servers = [new OpenApiServer { Url = "/", Description = "The host serving this document." }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "An API key of the role the operation names (`Authorization: ApiKey <key>` works too).",
        };
        document.Components.SecuritySchemes[StreamTicketScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Query,
            Name = StreamTicketAuthenticationHandler.QueryName,
            Description = "A single-use ticket from `POST /v1/decisions/stream/ticket`, for browsers' EventSource, which cannot send headers.",
        };

        AddNonMinimalEndpoints(document, context);
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
            {
                tag.Description = description;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The probes (health checks) and the Prometheus scrape are not minimal-API handlers, so ASP.NET Core's API explorer
    /// does not see them; they are described here.
    /// </summary>
    private static void AddNonMinimalEndpoints(OpenApiDocument document, OpenApiDocumentTransformerContext context)
    {
        document.Paths ??= [];
        var problem = new OpenApiSchemaReference(nameof(ProblemDetails), document);
        var probe = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "status", "checks" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("healthy"), JsonValue.Create("degraded"), JsonValue.Create("unhealthy")] },
                ["checks"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "Each check by name (storage, silo, stored-lag) with its status, description and data.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Object },
                },
            },
        };
        document.AddComponent("ProbeReport", probe);
        var probeRef = new OpenApiSchemaReference("ProbeReport", document);
        document.Paths[HealthHostBuilderExtensions.LivePath] = Probe(
            document,
            "GetLiveness",
            "Liveness: 200 while the process serves HTTP at all; restart it when this does not answer. No key.",
            new OpenApiResponses { ["200"] = Json("Alive.", probeRef), ["429"] = TooMany(problem) });
        document.Paths[HealthHostBuilderExtensions.ReadyPath] = Probe(
            document,
            "GetReadiness",
            "Readiness: 200 only while storage answers, this silo is active in the cluster and stored state is within the staleness bound. No key.",
            new OpenApiResponses
            {
                ["200"] = Json("Ready.", probeRef),
                ["429"] = TooMany(problem),
                ["503"] = Json("Not ready; the checks say which part is not.", probeRef),
            });

        if (context.ApplicationServices.GetRequiredService<IOptions<Telemetry.TelemetryOptions>>().Value.PrometheusEndpoint)
        {
            document.Tags ??= new HashSet<OpenApiTag>();
            document.Tags.Add(new OpenApiTag { Name = "Monitoring" });
            document.Paths[TelemetryHostBuilderExtensions.MetricsPath] = Get(new OpenApiOperation
            {
                OperationId = "ScrapeMetrics",
                Summary = "The engine's, Orleans', ASP.NET Core's and the runtime's metrics in Prometheus' text format. Role: viewer.",
                Tags = new HashSet<OpenApiTagReference> { new("Monitoring", document) },
                Security = [Requirement(document, ApiKeyAuthenticationHandler.SchemeName)],
                Responses = new OpenApiResponses
                {
                    ["200"] = new OpenApiResponse
                    {
                        Description = "The scrape.",
                        Content = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                    },
                    ["401"] = Problem("No API key, or one that is not valid.", problem),
                    ["403"] = Problem("The key's role is not viewer (nor analyst).", problem),
                    ["429"] = TooMany(problem),
                },
            });
        }
    }

    /// <summary>
    /// Enums are written as snake_case strings (the JSON options' converter), which the schema generator lists without
    /// their type; generated clients then read them as numbers.
    /// </summary>
    private static Task TypeStringEnums(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Enum is { Count: > 0 } values && schema.Type is null && values.All(v => v?.GetValueKind() == System.Text.Json.JsonValueKind.String))
        {
            schema.Type = JsonSchemaType.String;
        }

        return Task.CompletedTask;
    }

    private static async Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var bodies = metadata.OfType<DocumentedBody>().ToList();
        if (bodies.Count > 0)
        {
            var content = new Dictionary<string, OpenApiMediaType>();
            foreach (var body in bodies)
            {
                content[body.ContentType] = new OpenApiMediaType { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken) };
            }

            operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
        }

        foreach (var header in metadata.OfType<DocumentedHeader>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = header.Name,
                In = ParameterLocation.Header,
                Required = true,
                Description = header.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        if (metadata.OfType<DocumentedCsv>().FirstOrDefault() is { } csv && operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse okResponse)
        {
            okResponse.Content ??= new Dictionary<string, OpenApiMediaType>();
            okResponse.Content["text/csv"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = csv.Description } };
        }

        // The component ASP.NET Core registers for ProducesProblem (the lint test fails on a $ref that does not resolve).
        var problem = new OpenApiSchemaReference(nameof(ProblemDetails), context.Document);
        operation.Responses ??= [];
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            // Explicitly open: one empty requirement.
            operation.Security = [new OpenApiSecurityRequirement()];
        }
        else
        {
            var authorize = metadata.OfType<IAuthorizeData>().ToList();
            var roles = authorize.Select(a => a.Policy ?? a.Roles).OfType<string>().Distinct().ToList();
            var schemes = authorize.Select(a => a.AuthenticationSchemes).OfType<string>()
                .SelectMany(s => s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                .Select(s => s == StreamTicketAuthenticationHandler.SchemeName ? StreamTicketScheme : s)
                .DefaultIfEmpty(ApiKeyAuthenticationHandler.SchemeName)
                .Distinct()
                .ToList();
            operation.Security = [.. schemes.Select(s => Requirement(context.Document, s))];
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-integrity-role"] = new JsonNodeExtension(roles.Count == 0 ? "any" : string.Join(" ", roles));
            operation.Responses.TryAdd("401", Problem("No API key, or one that is not valid.", problem));
            if (roles.Count > 0)
            {
                operation.Responses.TryAdd("403", Problem($"The key's role is not {string.Join(" or ", roles)}.", problem));
            }
        }

        operation.Responses.TryAdd("429", TooMany(problem));
    }

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument? document, string scheme) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    /// <summary>An open GET of the Health tag.</summary>
    private static OpenApiPathItem Probe(OpenApiDocument document, string operationId, string summary, OpenApiResponses responses) => Get(new OpenApiOperation
    {
        OperationId = operationId,
        Summary = summary,
        Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
        Security = [new OpenApiSecurityRequirement()],
        Responses = responses,
    });

    private static OpenApiPathItem Get(OpenApiOperation operation) =>
        new() { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = operation } };

    private static OpenApiResponse Json(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
    };

    private static OpenApiResponse Problem(string description, IOpenApiSchema problem) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
    };

    private static OpenApiResponse TooMany(IOpenApiSchema problem)
    {
        var response = Problem("Over the rate limit of this client address or of this key.", problem);
        response.Headers = new Dictionary<string, IOpenApiHeader>
        {
            ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before trying again.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
        };
        return response;
    }
}
