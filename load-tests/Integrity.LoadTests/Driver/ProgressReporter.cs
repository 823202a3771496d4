using System.Globalization;

namespace Integrity.LoadTests.Driver;

/// <summary>What the progress line shows.</summary>
public sealed record ProgressSnapshot(long Dispatched, long Total, long Accepted, long Rejected, long Retries, double RatePerSecond, double P99Ms, TimeSpan Elapsed);

/// <summary>
/// Live progress on stderr: on a terminal, one bar redrawn in place at most 4 times a second; otherwise (CI, a
/// redirected stream) a plain line every few seconds. The current rate is measured over the last second or two.
/// </summary>
public sealed class ProgressReporter(TextWriter output, bool interactive, TimeProvider time)
{
    private const int BarWidth = 28;

    public TimeSpan Interval => interactive ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(2);

    /// <summary>Renders until <paramref name="stop"/> is cancelled, then writes a final line.</summary>
    public async Task RunAsync(RunStatistics stats, long total, CancellationToken stop)
    {
        var samples = new Queue<(TimeSpan At, long Dispatched)>();
        samples.Enqueue((stats.Elapsed, stats.Totals().EventsSent));
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            Write(Snapshot(stats, total, samples));
        }

        Write(Snapshot(stats, total, samples));
        if (interactive) output.WriteLine();
        await output.FlushAsync(CancellationToken.None);
    }

    public static string Render(ProgressSnapshot s, bool interactive)
    {
        var fraction = s.Total <= 0 ? 0 : Math.Clamp((double)s.Dispatched / s.Total, 0, 1);
        var stats = string.Create(CultureInfo.InvariantCulture,
            $"{fraction * 100,5:0.0}%  {s.Dispatched:N0}/{s.Total:N0} ev  {s.RatePerSecond:N0} ev/s  p99 {s.P99Ms:0.0} ms  accepted {s.Accepted:N0}  rejected {s.Rejected:N0}  retries {s.Retries:N0}  {s.Elapsed:hh\\:mm\\:ss}");
        if (!interactive) return $"progress {stats}";
        var filled = (int)Math.Round(fraction * BarWidth);
        return $"[{new string('#', filled)}{new string('-', BarWidth - filled)}] {stats}";
    }

    private ProgressSnapshot Snapshot(RunStatistics stats, long total, Queue<(TimeSpan At, long Dispatched)> samples)
    {
        var totals = stats.Totals();
        var now = stats.Elapsed;
        samples.Enqueue((now, totals.EventsSent));
        while (samples.Count > 2 && now - samples.Peek().At > TimeSpan.FromSeconds(2))
        {
            samples.Dequeue();
        }

        var (oldAt, oldSent) = samples.Peek();
        var span = (now - oldAt).TotalSeconds;
        var rate = span > 0 ? (totals.EventsSent - oldSent) / span : 0;
        return new ProgressSnapshot(totals.EventsDispatched, total, totals.EventsAccepted, totals.EventsRejected, totals.Retries, rate, stats.P99SoFarMs(), now);
    }

    private void Write(ProgressSnapshot snapshot)
    {
        var line = Render(snapshot, interactive);
        if (interactive) output.Write($"\r{line}\u001b[K");
        else output.WriteLine(line);
    }
}
