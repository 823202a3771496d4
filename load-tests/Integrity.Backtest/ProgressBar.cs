using System.Diagnostics;
using System.Globalization;

namespace Integrity.Backtest;

/// <summary>
/// Progress on stderr: a redrawn bar on a terminal, plain lines (every 10 % or 10 s) when redirected, so logs stay readable.
/// </summary>
internal sealed class ProgressBar(TextWriter output, bool interactive, string label)
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private TimeSpan _lastDraw = TimeSpan.MinValue;
    private int _lastDecile = -1;

    public static ProgressBar ForStderr(string label) => new(Console.Error, !Console.IsErrorRedirected, label);

    public void Report(long done, long total)
    {
        var elapsed = _watch.Elapsed;
        var fraction = total == 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        var rate = done / Math.Max(elapsed.TotalSeconds, 1e-3);
        var eta = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
        var text = string.Create(CultureInfo.InvariantCulture, $"{label} {fraction * 100,5:0.0}% {done:N0}/{total:N0} events, {rate:N0}/s, elapsed {elapsed:mm\\:ss}, eta {eta:mm\\:ss}");
        if (interactive)
        {
            if (done < total && elapsed - _lastDraw < TimeSpan.FromMilliseconds(200)) return;
            _lastDraw = elapsed;
            const int Width = 30;
            var filled = (int)(fraction * Width);
            output.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {text}   ");
            if (done >= total) output.WriteLine();
            return;
        }

        var decile = (int)(fraction * 10);
        if (decile == _lastDecile && elapsed - _lastDraw < TimeSpan.FromSeconds(10) && done < total) return;
        if (done >= total && _lastDecile == 10) return;
        (_lastDecile, _lastDraw) = (decile, elapsed);
        output.WriteLine(text);
    }
}
