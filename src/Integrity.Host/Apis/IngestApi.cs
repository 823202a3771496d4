using Integrity.Host.Ingest;
using Integrity.Host.Security;

namespace Integrity.Host.Apis;

/// <summary>Where platforms send their events.</summary>
public static class IngestApi
{
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/events").WithTags("Ingest");
        api.MapPost("", (HttpContext context, IngestHandler handler) => handler.HandleAsync(context))
            .RequireAuthorization(ApiRoles.Ingest)
            .WithName("IngestEvents")
            .WithSummary("Accepts a batch of events (NDJSON or a JSON array, optionally gzip); 202 once they are durably stored.")
            .WithMetadata(new DocumentedBody(typeof(System.Text.Json.Nodes.JsonObject[])))
            .WithMetadata(new DocumentedBody(typeof(string), "application/x-ndjson"))
            .Produces<IngestResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }
}
