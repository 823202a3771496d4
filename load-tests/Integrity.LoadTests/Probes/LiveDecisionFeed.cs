using System.Collections.Concurrent;
using System.Net;

namespace Integrity.LoadTests.Probes;

/// <summary>
/// Listens to the engine's live decisions feed (<c>GET /v1/decisions/stream</c>, server-sent events, a viewer key)
/// while the run goes on, and notes when each decision arrived: the wall-clock end of event-to-decision latency, as a
/// subscriber sees it. Reconnects (bounded) if the stream drops; stops when disposed.
/// </summary>
public sealed class LiveDecisionFeed : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _received = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeProvider _time;
    private Task _listening = Task.CompletedTask;

    private LiveDecisionFeed(TimeProvider time) => _time = time;

    public int Count => _received.Count;

    /// <summary>Connections that failed or ended before the feed was stopped.</summary>
    public int Interruptions { get; private set; }

    /// <summary>Connected at least once (the endpoint exists and the key may read it).</summary>
    public bool Connected { get; private set; }

    public DateTimeOffset? ReceivedAt(string entryId) => _received.TryGetValue(entryId, out var at) ? at : null;

    /// <summary>Starts listening; returns once the first connection answered (or failed), so nothing sent after it is missed.</summary>
    public static async Task<LiveDecisionFeed> StartAsync(HttpClient http, Uri target, string viewerKey, TimeProvider time, CancellationToken cancellationToken)
    {
        var feed = new LiveDecisionFeed(time);
        var firstAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        feed._listening = Task.Run(() => feed.ListenAsync(http, target, viewerKey, firstAnswer), CancellationToken.None);
        await firstAnswer.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        return feed;
    }

    private async Task ListenAsync(HttpClient http, Uri target, string viewerKey, TaskCompletionSource firstAnswer)
    {
        for (var attempt = 0; attempt < 20 && !_stop.IsCancellationRequested; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target, "/v1/decisions/stream"));
                request.Headers.Add("X-Api-Key", viewerKey);
                request.Headers.Accept.ParseAdd("text/event-stream");
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    firstAnswer.TrySetResult();
                    if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) return;
                    Interruptions++;
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, _stop.Token);
                    continue;
                }

                Connected = true;
                firstAnswer.TrySetResult();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
                string? id = null;
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
                    else if (line.StartsWith("data:", StringComparison.Ordinal) && id is not null) _received.TryAdd(id, _time.GetUtcNow());
                    else if (line.Length == 0) id = null;
                }

                Interruptions++;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                firstAnswer.TrySetResult();
                Interruptions++;
                await Task.Delay(TimeSpan.FromSeconds(1), _time, CancellationToken.None);
            }
        }

        firstAnswer.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listening.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
