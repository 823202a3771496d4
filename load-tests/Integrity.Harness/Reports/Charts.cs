using HdrHistogram;
using ScottPlot;
using SkiaSharp;

namespace Integrity.Harness.Reports;

/// <summary>One line of a chart: its legend, colour, (x, y) points and whether it reads on the right-hand axis.</summary>
public sealed record ChartLine(string Legend, string Colour, IReadOnlyList<(double X, double Y)> Points, bool RightAxis = false);

/// <summary>A line chart: title, axis labels with their units, and its lines (time on x, from zero).</summary>
public sealed record LineChart(string Title, string XLabel, string YLabel, IReadOnlyList<ChartLine> Lines, string? RightYLabel = null);

/// <summary>A bar chart of groups (x) and series (bars within a group), values on y.</summary>
public sealed record BarChart(string Title, string YLabel, IReadOnlyList<string> Groups, IReadOnlyList<(string Legend, string Colour, IReadOnlyList<double> Values)> Series);

/// <summary>
/// The harness's charts, drawn with ScottPlot and saved twice: SVG (for the Markdown reports) and PNG beside it.
/// Several charts in one file are stacked in rows.
/// </summary>
public static class Charts
{
    public const int Width = 960;
    public const int RowHeight = 320;

    /// <summary>Writes <c>{path}.svg</c> and <c>{path}.png</c> (path without extension) with the charts stacked.</summary>
    public static void Save(string path, params Plot[] plots)
    {
        var height = RowHeight * plots.Length;
        var multiplot = new Multiplot();
        multiplot.Reset(plots[0]);
        foreach (var plot in plots.Skip(1)) multiplot.AddPlot(plot);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        multiplot.SavePng(path + ".png", Width, height);
        using var stream = File.Create(path + ".svg");
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, Width, height), stream))
        {
            multiplot.Render(canvas, new PixelRect(0, Width, height, 0));
        }
    }

    public static Plot Lines(LineChart chart)
    {
        var plot = Titled(chart.Title, chart.XLabel, chart.YLabel);
        foreach (var line in chart.Lines.Where(l => l.Points.Count > 0))
        {
            var scatter = plot.Add.ScatterLine(line.Points.Select(p => p.X).ToArray(), line.Points.Select(p => p.Y).ToArray(), Color.FromHex(line.Colour));
            scatter.LegendText = line.Legend;
            scatter.LineWidth = 1.5f;
            if (line.RightAxis) scatter.Axes.YAxis = plot.Axes.Right;
        }

        if (chart.RightYLabel is { } right) plot.Axes.Right.Label.Text = right;
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    public static Plot Bars(BarChart chart)
    {
        var plot = Titled(chart.Title, "", chart.YLabel);
        var width = 0.8 / Math.Max(1, chart.Series.Count);
        for (var s = 0; s < chart.Series.Count; s++)
        {
            var (legend, colour, values) = chart.Series[s];
            var bars = values.Select((v, g) => new Bar { Position = g - 0.4 + (width * (s + 0.5)), Value = v, Size = width * 0.9, FillColor = Color.FromHex(colour) }).ToList();
            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = legend, FillColor = Color.FromHex(colour) });
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. chart.Groups.Select((_, i) => (double)i)], [.. chart.Groups]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 110;
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>
    /// A latency-by-percentile chart of HdrHistogram values (microseconds), x on the usual log scale of 1/(1 − p),
    /// labelled 0%, 90%, 99%, 99.9%, ...
    /// </summary>
    public static Plot Percentiles(string title, IReadOnlyList<(string Legend, string Colour, HistogramBase Histogram)> histograms)
    {
        var plot = Titled(title, "percentile", "latency (ms)");
        var nines = 1;
        foreach (var (legend, colour, histogram) in histograms.Where(h => h.Histogram.TotalCount > 0))
        {
            var points = histogram.Percentiles(5).Where(v => v.PercentileLevelIteratedTo < 100)
                .Select(v => (X: Math.Log10(1 / (1 - (v.PercentileLevelIteratedTo / 100))), Y: v.ValueIteratedTo / 1000.0)).ToList();
            var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), Color.FromHex(colour));
            line.LegendText = legend;
            line.LineWidth = 1.5f;
            nines = Math.Max(nines, (int)Math.Ceiling(points.Max(p => p.X)));
        }

        double[] ticks = [.. Enumerable.Range(0, nines + 1).Select(n => (double)n)];
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, [.. ticks.Select(n => n == 0 ? "0%" : FormattableString.Invariant($"{100 - (100 / Math.Pow(10, n))}%"))]);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static Plot Titled(string title, string x, string y)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        return plot;
    }
}
