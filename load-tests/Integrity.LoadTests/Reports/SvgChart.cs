using System.Globalization;
using System.Security;
using System.Text;
using Integrity.LoadTests.Driver;

namespace Integrity.LoadTests.Reports;

/// <summary>
/// A two-panel SVG drawn by hand (no charting dependency): events per second (sent and accepted) and ingest
/// request latency p99 per second, both over the seconds of the run.
/// </summary>
public static class SvgChart
{
    private const int Width = 960;
    private const int PanelHeight = 240;
    private const int Left = 80;
    private const int Right = 24;
    private const int Top = 36;
    private const int Bottom = 40;

    public static string Render(IReadOnlyList<SecondSample> timeline, string title)
    {
        var height = (PanelHeight * 2) + 20;
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Inv($"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>\n"));
        Panel(svg, 0, $"{title}: throughput (events/s)", timeline,
            [("sent", "#9aa5b1", s => s.EventsSent), ("accepted", "#1f77b4", s => s.EventsAccepted)]);
        Panel(svg, PanelHeight + 20, "ingest latency p99 per second (ms)", timeline, [("p99", "#d62728", s => s.P99Ms)]);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, int y0, string title, IReadOnlyList<SecondSample> timeline, (string Name, string Colour, Func<SecondSample, double> Value)[] series)
    {
        var plotW = Width - Left - Right;
        var plotH = PanelHeight - Top - Bottom;
        var top = y0 + Top;
        var seconds = Math.Max(1, timeline.Count - 1);
        var max = NiceCeiling(timeline.Count == 0 ? 1 : series.Max(s => timeline.Max(s.Value)));

        svg.Append(Inv($"<text x=\"{Left}\" y=\"{y0 + 20}\" font-size=\"14\" font-weight=\"bold\">{SecurityElement.Escape(title)}</text>\n"));
        for (var i = 0; i <= 4; i++)
        {
            var value = max * i / 4;
            var y = top + plotH - (plotH * i / 4.0);
            svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Left + plotW}\" y2=\"{y:0.#}\" stroke=\"#e4e7eb\"/>"));
            svg.Append(Inv($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Label(value)}</text>\n"));
        }

        var xTicks = Math.Min(10, seconds);
        for (var i = 0; i <= xTicks; i++)
        {
            var second = (int)Math.Round((double)seconds * i / xTicks);
            var x = Left + (plotW * second / (double)seconds);
            svg.Append(Inv($"<text x=\"{x:0.#}\" y=\"{top + plotH + 16}\" text-anchor=\"middle\">{second}s</text>\n"));
        }

        svg.Append(Inv($"<rect x=\"{Left}\" y=\"{top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#7b8794\"/>\n"));
        var legendX = Left + plotW;
        foreach (var (name, colour, value) in series.Reverse())
        {
            var points = string.Join(' ', timeline.Select((s, i) => Inv($"{Left + (plotW * i / (double)seconds):0.#},{top + plotH - (plotH * Math.Min(value(s), max) / max):0.#}")));
            if (timeline.Count > 0) svg.Append(Inv($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{points}\"/>\n"));
            legendX -= 90;
            svg.Append(Inv($"<rect x=\"{legendX}\" y=\"{y0 + 10}\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{legendX + 16}\" y=\"{y0 + 20}\">{name}</text>\n"));
        }
    }

    /// <summary>1, 2, 2.5 or 5 times a power of ten, at or above the value: round axis labels.</summary>
    public static double NiceCeiling(double value)
    {
        if (value <= 0 || double.IsNaN(value)) return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * power >= value) return step * power;
        }

        return 10 * power;
    }

    private static string Label(double value) => value >= 10_000 ? Inv($"{value / 1000:0.#}k") : Inv($"{value:0.##}");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
