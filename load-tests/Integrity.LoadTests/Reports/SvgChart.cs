using Integrity.LoadTests.Driver;
using Integrity.Testing;

namespace Integrity.LoadTests.Reports;

/// <summary>The load test's chart: events per second (sent and accepted) and ingest request latency p99 per second.</summary>
public static class SvgChart
{
    public static string Render(IReadOnlyList<SecondSample> timeline, string title) => SvgLineChart.Render(
    [
        new ChartPanel($"{title}: throughput (events/s)",
        [
            new ChartSeries("sent", "#9aa5b1", Points(timeline, s => s.EventsSent)),
            new ChartSeries("accepted", "#1f77b4", Points(timeline, s => s.EventsAccepted)),
        ]),
        new ChartPanel("ingest latency p99 per second (ms)", [new ChartSeries("p99", "#d62728", Points(timeline, s => s.P99Ms))]),
    ]);

    private static List<(double X, double Y)> Points(IReadOnlyList<SecondSample> timeline, Func<SecondSample, double> value) =>
        [.. timeline.Select(s => ((double)s.Second, value(s)))];
}
