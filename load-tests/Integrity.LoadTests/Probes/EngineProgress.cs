using System.Net;
using System.Text.Json;
using Integrity.LoadTests.Reports;

namespace Integrity.LoadTests.Probes;

/// <summary>
/// Waits, bounded, until the engine has applied everything it accepted, watching <c>GET /v1/admin/progress</c> (an
/// analyst key): settled when every journal partition's durable checkpoint has reached its head.
/// </summary>
public static class EngineProgress
{
    /// <param name="counted">
    /// When the progress endpoint cannot be read (no analyst key, not served) but every entity's counters can be read
    /// at once: the applications the ledger expects, and how to read how many are stored; settled when they are equal.
    /// </param>
    /// <returns>Null when neither way is available; the evaluator then waits on the ledger itself.</returns>
    public static async Task<EngineThroughput?> WaitAppliedAsync(
        HttpClient http, Uri target, string? analystKey, long accepted, long sendStarted, TimeSpan settle, TextWriter progress, TimeProvider time,
        CancellationToken cancellationToken, (long Expected, Func<CancellationToken, Task<long>> Stored)? counted = null, JournalProgress? journal = null)
    {
        var sendEnded = time.GetTimestamp();
        var lastLine = TimeSpan.Zero;
        var how = "every journal partition's checkpoint reached its head (GET /v1/admin/progress)";
        var useProgress = analystKey is not null;
        var failures = 0;
        while (true)
        {
            (bool Settled, long Lag)? state = null;
            if (journal is not null)
            {
                // Passive and cheap: the journal heads and the consumers' checkpoints, straight from storage.
                how = "every journal partition's durable checkpoint reached its head (Journal and JournalCheckpoints tables)";
                state = await journal.ReadAsync(cancellationToken);
                useProgress = true;
            }
            else if (useProgress)
            {
                try
                {
                    state = await ReadAsync(http, target, analystKey!, cancellationToken);
                    failures = 0;
                    useProgress = state is not null;
                }
                catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException
                    || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // A busy engine may not answer within the timeout: ask again, and fall back after a few misses.
                    if (++failures >= 3) useProgress = false;
                    else continue;
                }
            }

            if (state is null && counted is { } c)
            {
                useProgress = false;
                how = "the stored applied counters of every seller, listing and reviewer add up to what the ledger expects (grain-state table)";
                var stored = await c.Stored(cancellationToken);
                state = (stored >= c.Expected, Math.Max(0, c.Expected - stored));
            }

            if (state is null) return null;
            var waited = time.GetElapsedTime(sendEnded);
            if (state.Value.Settled || waited >= settle)
            {
                var seconds = time.GetElapsedTime(sendStarted).TotalSeconds;
                return new EngineThroughput(state.Value.Settled, Math.Round(seconds, 3), accepted, Math.Round(accepted / Math.Max(seconds, 0.001), 1), Math.Round(waited.TotalSeconds, 3),
                    state.Value.Settled ? how : $"not settled within --settle {settle.TotalSeconds:0} s; {state.Value.Lag:N0} behind ({how})");
            }

            if (waited - lastLine >= TimeSpan.FromSeconds(5))
            {
                lastLine = waited;
                await progress.WriteLineAsync($"waiting for the engine to apply: {state.Value.Lag:N0} {(useProgress ? "journal row(s)" : "application(s)")} behind after {waited.TotalSeconds:0} s");
            }

            // Counters are a scan of every entity's state (it competes with the engine for storage): read them rarely.
            await Task.Delay(useProgress ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(15), time, cancellationToken);
        }
    }

    private static async Task<(bool Settled, long Lag)?> ReadAsync(HttpClient http, Uri target, string analystKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target, "/v1/admin/progress"));
        request.Headers.Add("X-Api-Key", analystKey);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var response = await http.SendAsync(request, timeout.Token);
        if (response.StatusCode != HttpStatusCode.OK) return null;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
        var root = json.RootElement;
        var lag = 0L;
        if (root.TryGetProperty("partitions", out var partitions))
        {
            foreach (var p in partitions.EnumerateArray())
            {
                lag += Math.Max(0, p.GetProperty("head").GetInt64() - p.GetProperty("checkpoint").GetInt64());
            }
        }

        return (root.GetProperty("settled").GetBoolean(), lag);
    }
}
