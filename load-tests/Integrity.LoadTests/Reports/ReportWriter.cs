using HdrHistogram;
using Integrity.Harness.Ledger;
using Integrity.Harness.Reports;
using Integrity.Harness.Market;

namespace Integrity.LoadTests.Reports;

/// <summary>
/// Writes a run's report directory: report.json, report.md (linking the charts), chart.svg/.png (throughput and p99
/// per second), latency.svg/.png (ingest latency by percentile), detection.svg/.png (recall and precision per pattern,
/// when the engine was evaluated), ledger.json (accepted events per entity) and accepted-event-ids.txt (one id a line,
/// the set the engine must apply exactly once).
/// </summary>
public static class ReportWriter
{
    public const string ChartFile = "chart.svg";

    public static async Task WriteAsync(string directory, RunReport report, EventLedger ledger, HistogramBase ingestLatency, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await MarketplaceFiles.WriteJsonAsync(Path.Combine(directory, "report.json"), report, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "report.md"), MarkdownReport.Render(report, ChartFile), cancellationToken);
        var timeline = report.Timeline;
        Charts.Save(Path.Combine(directory, "chart"), Charts.Lines(new LineChart("Integrity ingest: throughput and p99 latency per second", "time since the first request (s)", "events/s",
        [
            new ChartLine("sent (events/s)", "#9aa5b1", [.. timeline.Select(s => ((double)s.Second, (double)s.EventsSent))]),
            new ChartLine("accepted (events/s)", "#1f77b4", [.. timeline.Select(s => ((double)s.Second, (double)s.EventsAccepted))]),
            new ChartLine("ingest p99 (ms, right)", "#d62728", [.. timeline.Select(s => ((double)s.Second, s.P99Ms))], RightAxis: true),
        ], RightYLabel: "p99 ingest latency (ms)")));
        Charts.Save(Path.Combine(directory, "latency"), Charts.Percentiles("Ingest latency by percentile (per request)", [("POST /v1/events", "#1f77b4", ingestLatency)]));
        if (report.Engine?.Detection is { Patterns.Count: > 0 } detection)
        {
            var patterns = detection.Patterns;
            Charts.Save(Path.Combine(directory, "detection"), Charts.Bars(new BarChart("Detection per fraud pattern", "%", [.. patterns.Select(p => p.Pattern)],
            [
                ("recall (culprits caught)", "#2ca02c", [.. patterns.Select(p => (p.Recall ?? 0) * 100)]),
                ("precision (by reason)", "#1f77b4", [.. patterns.Select(p => (p.Precision ?? 0) * 100)]),
            ])));
        }

        await MarketplaceFiles.WriteJsonAsync(Path.Combine(directory, MarketplaceFiles.LedgerFile), ledger.Summarize(), cancellationToken);
        await File.WriteAllLinesAsync(Path.Combine(directory, "accepted-event-ids.txt"), ledger.EventIds().Order(StringComparer.Ordinal), cancellationToken);
    }
}
