using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Integrity.Testing;

namespace Integrity.Host.Tests.Operability;

/// <summary>
/// An OTLP/HTTP receiver on a free loopback port: keeps every request body by path (<c>/v1/traces</c>,
/// <c>/v1/metrics</c>, <c>/v1/logs</c>) and answers 200 with an empty (valid) protobuf response. Protobuf keeps strings
/// as UTF-8 bytes, so span and instrument names can be looked for in the bodies without decoding them.
/// </summary>
public sealed class OtlpSink : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _bodies = new(StringComparer.Ordinal);
    private readonly Task _serving;

    public OtlpSink()
    {
        var port = HostProcess.FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    /// <summary>Whether a body received on <paramref name="path"/> holds <paramref name="text"/> (UTF-8).</summary>
    public bool Received(string path, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return _bodies.TryGetValue(path, out var bodies) && bodies.Any(b => b.AsSpan().IndexOf(needle) >= 0);
    }

    public IReadOnlyCollection<string> Paths => [.. _bodies.Keys];

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task ServeAsync()
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

            using (var body = new MemoryStream())
            {
                await context.Request.InputStream.CopyToAsync(body);
                _bodies.GetOrAdd(context.Request.Url?.AbsolutePath ?? "/", _ => new ConcurrentQueue<byte[]>()).Enqueue(body.ToArray());
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.ContentLength64 = 0;
            context.Response.Close();
        }
    }
}
