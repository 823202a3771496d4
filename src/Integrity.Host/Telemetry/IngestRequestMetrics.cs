using Integrity.Grains.Telemetry;

namespace Integrity.Host.Telemetry;

/// <summary>
/// Counts and times every <c>POST /v1/events</c> by the status it was answered with. A middleware in front of the
/// rate limiters and authentication, so a 429 or 401 answered before the endpoint runs is counted as well.
/// </summary>
public sealed class IngestRequestMetrics(RequestDelegate next, IntegrityMetrics metrics, TimeProvider time)
{
    public const string Path = "/v1/events";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var started = time.GetTimestamp();
        var escaped = false;
        try
        {
            await next(context);
        }
        catch
        {
            escaped = true;
            throw;
        }
        finally
        {
            // An exception that escapes before the answer started becomes a 500 further out.
            var status = escaped && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            metrics.IngestRequest(status, time.GetElapsedTime(started).TotalSeconds);
        }
    }
}
