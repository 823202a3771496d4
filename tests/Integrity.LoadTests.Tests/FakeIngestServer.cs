using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Integrity.LoadTests.Tests;

/// <summary>
/// A stand-in for <c>POST /v1/events</c> on a free loopback port: checks the key, reads NDJSON (gzip too), and
/// answers as the test scripts it: 503 with Retry-After for the first N requests, then 202 with a body that rejects
/// the lines the test chooses. Records every request's event ids.
/// </summary>
public sealed class FakeIngestServer : IAsyncDisposable
{
    public const string Key = "test-ingest-key";

    private readonly WebApplication _app;
    private int _requests;

    private FakeIngestServer(WebApplication app) => _app = app;

    public Uri Address => new(_app.Urls.First());

    /// <summary>Requests answered 503 before the first 202.</summary>
    public int UnavailableFirst { get; set; }

    public Func<string, bool> Reject { get; set; } = _ => false;

    public TimeSpan Delay { get; set; }

    /// <summary>When set, every request is answered with this status and no body.</summary>
    public int? FixedStatus { get; set; }

    public ConcurrentQueue<(int Status, string[] EventIds, bool Gzip)> Requests { get; } = new();

    public static async Task<FakeIngestServer> StartAsync(Action<FakeIngestServer>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeIngestServer(app);
        configure?.Invoke(server);
        app.MapPost("/v1/events", server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Headers["X-Api-Key"] != Key)
        {
            context.Response.StatusCode = 401;
            return;
        }

        var gzip = context.Request.Headers.ContentEncoding == "gzip";
        var body = gzip ? new GZipStream(context.Request.Body, CompressionMode.Decompress) : context.Request.Body;
        using var reader = new StreamReader(body, Encoding.UTF8);
        var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var ids = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("eventId").GetString()!).ToArray();
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay);

        var n = Interlocked.Increment(ref _requests);
        if (FixedStatus is { } fixedStatus)
        {
            Requests.Enqueue((fixedStatus, ids, gzip));
            context.Response.StatusCode = fixedStatus;
            return;
        }

        if (n <= UnavailableFirst)
        {
            Requests.Enqueue((503, ids, gzip));
            context.Response.StatusCode = 503;
            context.Response.Headers.RetryAfter = "1";
            return;
        }

        Requests.Enqueue((202, ids, gzip));
        var rejected = ids.Select((id, i) => (id, line: i + 1)).Where(x => Reject(x.id))
            .Select(x => new { line = x.line, eventId = x.id, code = "INVALID_VALUE", reason = "\"rating\" must be an integer 1..5" }).ToList();
        context.Response.StatusCode = 202;
        await context.Response.WriteAsJsonAsync(new { requestId = $"r{n}", accepted = ids.Length - rejected.Count, duplicates = 0, rejected });
    }
}
