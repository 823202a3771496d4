using HdrHistogram;

namespace Integrity.Harness.Reports;

/// <summary>Latency percentiles in milliseconds of an HdrHistogram of microseconds: the load test's and the benchmarks' one summary.</summary>
public sealed record LatencySummary(long Count, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs, double MeanMs)
{
    /// <summary>The summary; all zero for an empty histogram.</summary>
    public static LatencySummary Of(HistogramBase h) => h.TotalCount == 0
        ? new(0, 0, 0, 0, 0, 0, 0)
        : new(h.TotalCount, Ms(h.GetValueAtPercentile(50)), Ms(h.GetValueAtPercentile(90)), Ms(h.GetValueAtPercentile(99)),
            Ms(h.GetValueAtPercentile(99.9)), Ms(h.GetMaxValue()), Math.Round(h.GetMean() / 1000.0, 3));

    /// <summary>The summary, or null when nothing was measured.</summary>
    public static LatencySummary? OfAny(HistogramBase h) => h.TotalCount == 0 ? null : Of(h);

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
}
