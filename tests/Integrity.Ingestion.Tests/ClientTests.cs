using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using Integrity.Client;
using Integrity.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrity.Ingestion.Tests;

[Collection(IngestAppCollection.Name)]
public sealed class ClientTests(IngestAppFixture fixture)
{
    [Fact]
    public async Task Client_batches_gzip_ndjson_to_the_engine_and_reports_rejections_by_their_place_in_the_input()
    {
        using var http = new HttpClient { BaseAddress = fixture.App.Address };
        var client = new IntegrityClient(http, new IntegrityClientOptions { ApiKey = TestSecrets.IngestKey, MaxBatchEvents = 1000 });
        var id = "c" + Guid.NewGuid().ToString("N")[..8];
        var events = Enumerable.Range(1, 2500).Select(i => Wire.ReviewObject($"{id}-{i}", sellerId: $"S-{i % 7}")).ToList();
        events[1499]["rating"] = 9;
        events[2199].Remove("listingId");

        var result = await client.SendAsync(events);

        Assert.Equal(2498, result.Accepted);
        Assert.Equal(3, result.RequestIds.Count);
        Assert.Equal([1500, 2200], result.Rejected.Select(r => r.Line));
        Assert.Equal([$"{id}-1500", $"{id}-2200"], result.Rejected.Select(r => r.EventId));
        Assert.Equal("MISSING_FIELD", result.Rejected[1].Code);
    }

    [Fact]
    public async Task Client_retries_a_503_after_the_Retry_After_it_was_given()
    {
        var requests = new ConcurrentQueue<(string? Encoding, string? Type, string? Key, string Body)>();
        await using var stub = await StubAsync(async (context, attempt) =>
        {
            requests.Enqueue((context.Request.Headers.ContentEncoding, context.Request.ContentType, context.Request.Headers["X-Api-Key"], await ReadGzipAsync(context.Request)));
            if (attempt == 1)
            {
                context.Response.StatusCode = 503;
                context.Response.Headers.RetryAfter = "1";
                await context.Response.WriteAsJsonAsync(new { title = "Storage unavailable", detail = "down" });
                return;
            }

            await AcceptOneAsync(context);
        });
        var client = new IntegrityClient(stub.Http, new IntegrityClientOptions { ApiKey = "stub-key-0123456789abcdefghij", InitialBackoff = TimeSpan.FromMilliseconds(10), MaxAttempts = 3 });

        var watch = Stopwatch.StartNew();
        var result = await client.SendAsync([Wire.ReviewObject("retry-1")]);

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1), $"retried after {watch.Elapsed.TotalMilliseconds:0} ms, before Retry-After");
        Assert.Equal(1, result.Accepted);
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal("gzip", r.Encoding);
            Assert.Equal("application/x-ndjson", r.Type);
            Assert.Equal("stub-key-0123456789abcdefghij", r.Key);
            Assert.Equal(Wire.Review("retry-1") + "\n", r.Body);
        });
    }

    [Fact]
    public async Task Client_gives_up_after_its_attempt_bound()
    {
        var attempts = 0;
        await using var stub = await StubAsync((context, attempt) =>
        {
            Interlocked.Increment(ref attempts);
            context.Response.StatusCode = attempt % 2 == 0 ? 429 : 503;
            context.Response.Headers.RetryAfter = "0";
            return Task.CompletedTask;
        });
        var client = new IntegrityClient(stub.Http, new IntegrityClientOptions { ApiKey = "stub-key-0123456789abcdefghij", InitialBackoff = TimeSpan.FromMilliseconds(10), MaxAttempts = 4 });

        var error = await Assert.ThrowsAsync<IntegrityClientException>(() => client.SendAsync([Wire.ReviewObject("never")]));

        Assert.Equal(4, attempts);
        Assert.Equal(4, error.Attempts);
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Contains("after 4 attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_waits_no_longer_than_MaxRetryAfter_when_the_server_asks_for_more()
    {
        var (stub, arrivals) = await RefusedOnceAsync(429, () => "3600");
        await using var _ = stub;
        var client = new IntegrityClient(stub.Http, new IntegrityClientOptions
        {
            ApiKey = "stub-key-0123456789abcdefghij", MaxRetryAfter = TimeSpan.FromMilliseconds(700), InitialBackoff = TimeSpan.FromMilliseconds(10), MaxAttempts = 3,
        });

        // A client that ignored the cap would wait the hour: fail within seconds instead.
        var result = await client.SendAsync([Wire.ReviewObject("capped-1")]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, result.Accepted);
        Assert.InRange(arrivals.ElementAt(1) - arrivals.ElementAt(0), TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Client_honours_a_Retry_After_given_as_a_date()
    {
        // Whole seconds: the client waits 1 to 2 s.
        var (stub, arrivals) = await RefusedOnceAsync(503, () => DateTimeOffset.UtcNow.AddSeconds(2).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        await using var _ = stub;
        var client = new IntegrityClient(stub.Http, new IntegrityClientOptions { ApiKey = "stub-key-0123456789abcdefghij", InitialBackoff = TimeSpan.FromMilliseconds(10), MaxAttempts = 2 });

        var result = await client.SendAsync([Wire.ReviewObject("dated-1")]);

        Assert.Equal(1, result.Accepted);
        Assert.InRange(arrivals.ElementAt(1) - arrivals.ElementAt(0), TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Client_abandons_an_attempt_with_no_answer_within_RequestTimeout_and_retries_it()
    {
        await using var stub = await StubAsync(async (context, attempt) =>
        {
            if (attempt == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                return;
            }

            await AcceptOneAsync(context);
        });
        var client = new IntegrityClient(stub.Http, new IntegrityClientOptions
        {
            ApiKey = "stub-key-0123456789abcdefghij", RequestTimeout = TimeSpan.FromMilliseconds(500), InitialBackoff = TimeSpan.FromMilliseconds(10), MaxAttempts = 2,
        });

        var watch = Stopwatch.StartNew();
        var result = await client.SendAsync([Wire.ReviewObject("slow-1")]);

        Assert.Equal(1, result.Accepted);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Client_gives_up_on_silent_attempts_naming_the_timeout()
    {
        var attempts = 0;
        await using var stub = await StubAsync(async (context, attempt) =>
        {
            Interlocked.Increment(ref attempts);
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        });
        var client = new IntegrityClient(stub.Http, new IntegrityClientOptions
        {
            ApiKey = "stub-key-0123456789abcdefghij", RequestTimeout = TimeSpan.FromMilliseconds(300), InitialBackoff = TimeSpan.FromMilliseconds(10), MaxAttempts = 3,
        });

        var error = await Assert.ThrowsAsync<IntegrityClientException>(() => client.SendAsync([Wire.ReviewObject("silent")]));

        Assert.Equal(3, error.Attempts);
        Assert.Equal(3, attempts);
        Assert.Null(error.StatusCode);
        Assert.Contains("no answer within 0.3 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_does_not_retry_a_refusal()
    {
        var attempts = 0;
        await using var stub = await StubAsync(async (context, attempt) =>
        {
            Interlocked.Increment(ref attempts);
            context.Response.StatusCode = 403;
            await context.Response.WriteAsJsonAsync(new { title = "Forbidden", detail = "needs role 'ingest'" });
        });
        var client = new IntegrityClient(stub.Http, new IntegrityClientOptions { ApiKey = "stub-key-0123456789abcdefghij", InitialBackoff = TimeSpan.FromMilliseconds(10) });

        var error = await Assert.ThrowsAsync<IntegrityClientException>(() => client.SendAsync([Wire.ReviewObject("no")]));

        Assert.Equal(1, attempts);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Contains("needs role 'ingest'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_retries_network_errors_with_backoff_then_gives_up()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var client = new IntegrityClient(http, new IntegrityClientOptions { ApiKey = "stub-key-0123456789abcdefghij", InitialBackoff = TimeSpan.FromMilliseconds(20), MaxAttempts = 3 });

        var error = await Assert.ThrowsAsync<IntegrityClientException>(() => client.SendAsync([Wire.ReviewObject("offline")]));

        Assert.Equal(3, error.Attempts);
        Assert.Null(error.StatusCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    private static Task AcceptOneAsync(HttpContext context)
    {
        context.Response.StatusCode = 202;
        return context.Response.WriteAsJsonAsync(new { requestId = "r2", accepted = 1, duplicates = 0, rejected = Array.Empty<object>() });
    }

    /// <summary>A stub answering the first attempt with <paramref name="status"/> and a Retry-After, then 202; with the time each attempt arrived.</summary>
    private static async Task<(Stub Stub, ConcurrentQueue<TimeSpan> Arrivals)> RefusedOnceAsync(int status, Func<string> retryAfter)
    {
        var arrivals = new ConcurrentQueue<TimeSpan>();
        var watch = Stopwatch.StartNew();
        var stub = await StubAsync(async (context, attempt) =>
        {
            arrivals.Enqueue(watch.Elapsed);
            if (attempt > 1)
            {
                await AcceptOneAsync(context);
                return;
            }

            context.Response.StatusCode = status;
            context.Response.Headers.RetryAfter = retryAfter();
        });
        return (stub, arrivals);
    }

    private static async Task<string> ReadGzipAsync(HttpRequest request)
    {
        await using var gzip = new GZipStream(request.Body, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return await reader.ReadToEndAsync();
    }

    /// <summary>A tiny HTTP server on 127.0.0.1 answering POST /v1/events with the given handler (attempts numbered from 1).</summary>
    private static async Task<Stub> StubAsync(Func<HttpContext, int, Task> handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var attempt = 0;
        app.MapPost("/v1/events", context => handle(context, Interlocked.Increment(ref attempt)));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Stub(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    private sealed class Stub(WebApplication app, HttpClient http) : IAsyncDisposable
    {
        public HttpClient Http => http;

        public async ValueTask DisposeAsync()
        {
            http.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
