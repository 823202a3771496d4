using Integrity.LoadTests.Evaluation;
using Integrity.LoadTests.Marketplace;

namespace Integrity.LoadTests.Reports;

/// <summary>
/// Writes a run's report directory: report.json, report.md (linking chart.svg), chart.svg, ledger.json (accepted
/// events per entity) and accepted-event-ids.txt (one id a line, the set the engine must apply exactly once).
/// </summary>
public static class ReportWriter
{
    public const string ChartFile = "chart.svg";

    public static async Task WriteAsync(string directory, RunReport report, EventLedger ledger, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await MarketplaceFiles.WriteJsonAsync(Path.Combine(directory, "report.json"), report, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "report.md"), MarkdownReport.Render(report, ChartFile), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, ChartFile), SvgChart.Render(report.Timeline, "Integrity ingest"), cancellationToken);
        await MarketplaceFiles.WriteJsonAsync(Path.Combine(directory, MarketplaceFiles.LedgerFile), ledger.Summarize(), cancellationToken);
        await File.WriteAllLinesAsync(Path.Combine(directory, "accepted-event-ids.txt"), ledger.EventIds().Order(StringComparer.Ordinal), cancellationToken);
    }
}
