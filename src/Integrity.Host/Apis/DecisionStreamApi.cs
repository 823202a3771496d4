using System.Security.Claims;
using System.Text.Json;
using Integrity.Grains.Telemetry;
using Integrity.Host.Query;
using Integrity.Host.Security;
using Integrity.Storage.AzureTables.Index;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Apis;

/// <summary>
/// The live decisions feed as server-sent events (<c>event: decision</c>, data = the decision's summary), with a
/// heartbeat comment when idle. A viewer key in the header, or a stream ticket in <c>?ticket=</c> for browsers.
/// </summary>
public static class DecisionStreamApi
{
    public const string StreamPath = "/v1/decisions/stream";

    public static IEndpointRouteBuilder MapDecisionStreamApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/decisions").WithTags("Live feed");
        api.MapGet("/stream", StreamAsync)
            // Viewer role by ticket or by key; the ticket scheme comes first so a bad ticket gets its own answer.
            .RequireAuthorization(new AuthorizeAttribute
            {
                Roles = ApiRoles.Viewer,
                AuthenticationSchemes = $"{StreamTicketAuthenticationHandler.SchemeName},{ApiKeyAuthenticationHandler.SchemeName}",
            })
            .WithName("StreamDecisions")
            .WithSummary("Server-sent events: every decision, action and note as it is audited; ': heartbeat' comments when idle. "
                + "Role: viewer (X-Api-Key, or ?ticket= from POST /v1/decisions/stream/ticket).")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/stream/ticket", Ticket)
            .RequireAuthorization(ApiRoles.Viewer)
            .WithName("IssueStreamTicket")
            .WithSummary("A short-lived, single-use ticket for opening the feed where headers cannot be sent (EventSource). Role: viewer.");
        return app;
    }

    private static Ok<StreamTicketResponse> Ticket(ClaimsPrincipal user, StreamTickets tickets)
    {
        var (ticket, expires) = tickets.Issue(user.FindFirstValue(ApiRoles.KeyHashClaim) ?? "unknown");
        return TypedResults.Ok(new StreamTicketResponse(ticket, expires, $"{StreamPath}?{StreamTicketAuthenticationHandler.QueryName}={Uri.EscapeDataString(ticket)}"));
    }

    private static async Task<IResult> StreamAsync(HttpContext context, DecisionFeed feed, IOptions<QueryApiOptions> options, IOptions<JsonOptions> json, IHostApplicationLifetime lifetime, TimeProvider time, IntegrityMetrics metrics)
    {
        var (opened, refusal) = feed.Listen(context.User.FindFirstValue(ApiRoles.KeyHashClaim) ?? "unknown");
        using var listener = opened;
        if (listener is null)
        {
            context.Response.Headers.RetryAfter = "10";
            return refusal == DecisionFeed.Refusal.KeyFull
                ? TypedResults.Problem(detail: $"This API key already holds {options.Value.MaxStreamClientsPerKey} live feeds on this silo (QueryApi:MaxStreamClientsPerKey); close one or retry later.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many live feeds for this key")
                : TypedResults.Problem(detail: $"This silo already serves {options.Value.MaxStreamClients} live feeds (QueryApi:MaxStreamClients); retry later.",
                    statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many live feeds");
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping, listener.Ended);
        var ct = done.Token;
        var heartbeat = options.Value.HeartbeatInterval;
        metrics.SseClientOpened();
        try
        {
            await response.WriteAsync($"retry: 3000\n: connected, live={(feed.Live ? "yes" : "starting")}\n\n", ct);
            await response.Body.FlushAsync(ct);
            var reader = listener.Reader;
            while (!ct.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(heartbeat);
                bool ready;
                try
                {
                    ready = await reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await response.WriteAsync($": heartbeat {time.GetUtcNow():O}\n\n", ct);
                    await response.Body.FlushAsync(ct);
                    continue;
                }

                if (!ready)
                {
                    break;
                }

                while (reader.TryRead(out var decision))
                {
                    await WriteAsync(response, decision, json.Value.SerializerOptions, ct);
                }

                await response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away or the host is stopping.
        }
        finally
        {
            metrics.SseClientClosed();
        }

        return TypedResults.Empty;
    }

    private static Task WriteAsync(HttpResponse response, IndexedDecision decision, JsonSerializerOptions json, CancellationToken ct) =>
        response.WriteAsync($"event: decision\nid: {decision.EntryId.Replace('\n', ' ')}\ndata: {JsonSerializer.Serialize(decision, json)}\n\n", ct);
}
