using System.Globalization;
using System.Security;
using System.Text;

namespace Integrity.Testing;

/// <summary>One line of a panel: its name, colour and (x, y) points in x order.</summary>
public sealed record ChartSeries(string Name, string Colour, IReadOnlyList<(double X, double Y)> Points);

/// <summary>A panel: a title and the lines drawn on shared axes starting at zero; x is in seconds.</summary>
public sealed record ChartPanel(string Title, IReadOnlyList<ChartSeries> Series);

/// <summary>
/// Line charts as SVG drawn by hand (no charting dependency), panels stacked vertically, for the load and benchmark
/// harnesses' reports.
/// </summary>
public static class SvgLineChart
{
    private const int Width = 960;
    private const int PanelHeight = 240;
    private const int Gap = 20;
    private const int Left = 80;
    private const int Right = 24;
    private const int Top = 36;
    private const int Bottom = 40;

    public static string Render(IReadOnlyList<ChartPanel> panels)
    {
        var height = (PanelHeight * panels.Count) + (Gap * Math.Max(0, panels.Count - 1));
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Inv($"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>\n"));
        for (var i = 0; i < panels.Count; i++)
        {
            Panel(svg, i * (PanelHeight + Gap), panels[i]);
        }

        svg.Append("</svg>\n");
        return svg.ToString();
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

    private static void Panel(StringBuilder svg, int y0, ChartPanel panel)
    {
        var plotW = Width - Left - Right;
        var plotH = PanelHeight - Top - Bottom;
        var top = y0 + Top;
        var points = panel.Series.SelectMany(s => s.Points).ToList();
        var xMax = Math.Max(1, points.Count == 0 ? 1 : Math.Ceiling(points.Max(p => p.X)));
        var yMax = NiceCeiling(points.Count == 0 ? 1 : points.Max(p => p.Y));

        svg.Append(Inv($"<text x=\"{Left}\" y=\"{y0 + 20}\" font-size=\"14\" font-weight=\"bold\">{SecurityElement.Escape(panel.Title)}</text>\n"));
        for (var i = 0; i <= 4; i++)
        {
            var value = yMax * i / 4;
            var y = top + plotH - (plotH * i / 4.0);
            svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Left + plotW}\" y2=\"{y:0.#}\" stroke=\"#e4e7eb\"/>"));
            svg.Append(Inv($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Label(value)}</text>\n"));
        }

        var xTicks = (int)Math.Min(10, xMax);
        for (var i = 0; i <= xTicks; i++)
        {
            var second = Math.Round(xMax * i / xTicks);
            var x = Left + (plotW * second / xMax);
            svg.Append(Inv($"<text x=\"{x:0.#}\" y=\"{top + plotH + 16}\" text-anchor=\"middle\">{second}s</text>\n"));
        }

        svg.Append(Inv($"<rect x=\"{Left}\" y=\"{top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#7b8794\"/>\n"));
        var legendX = Left + plotW;
        foreach (var series in panel.Series.Reverse())
        {
            var line = string.Join(' ', series.Points.Select(p => Inv($"{Left + (plotW * p.X / xMax):0.#},{top + plotH - (plotH * Math.Min(p.Y, yMax) / yMax):0.#}")));
            if (series.Points.Count > 0) svg.Append(Inv($"<polyline fill=\"none\" stroke=\"{series.Colour}\" stroke-width=\"1.5\" points=\"{line}\"/>\n"));
            legendX -= 12 + 24 + (7 * series.Name.Length);
            svg.Append(Inv($"<rect x=\"{legendX}\" y=\"{y0 + 10}\" width=\"12\" height=\"12\" fill=\"{series.Colour}\"/><text x=\"{legendX + 16}\" y=\"{y0 + 20}\">{SecurityElement.Escape(series.Name)}</text>\n"));
        }
    }

    private static string Label(double value) => value >= 10_000 ? Inv($"{value / 1000:0.#}k") : Inv($"{value:0.##}");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
