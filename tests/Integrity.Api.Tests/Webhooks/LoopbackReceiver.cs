using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Integrity.Testing;

namespace Integrity.Api.Tests.Webhooks;

/// <summary>
/// A platform's webhook receiver on 127.0.0.1 (HttpListener): records every request with its headers and body, and
/// answers what <see cref="Answer"/> says for the request's number (1-based) — failures on demand.
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly Task _loop;
    private int _count;

    public LoopbackReceiver()
    {
        Port = HostProcess.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public sealed record Received(int Number, int Status, string? Signature, string? DeliveryId, int Attempt, byte[] Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

        public bool Accepted => Status is >= 200 and < 300;
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/hooks/integrity?token=not-for-viewers");

    /// <summary>The status for the request with this number (1-based). Default: 200.</summary>
    public Func<int, int> Answer { get; set; } = _ => 200;

    public IReadOnlyList<Received> All => [.. _received.OrderBy(r => r.Number)];

    public IReadOnlyList<Received> AcceptedRequests => [.. All.Where(r => r.Accepted)];

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var number = Interlocked.Increment(ref _count);
            var status = Answer(number);
            _received.Enqueue(new Received(
                number,
                status,
                context.Request.Headers["Integrity-Signature"],
                context.Request.Headers["Integrity-Delivery-Id"],
                int.TryParse(context.Request.Headers["Integrity-Delivery-Attempt"], out var attempt) ? attempt : 0,
                body.ToArray()));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }
}
