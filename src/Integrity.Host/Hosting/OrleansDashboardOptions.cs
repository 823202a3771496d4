using System.ComponentModel.DataAnnotations;

namespace Integrity.Host.Hosting;

/// <summary>
/// The Orleans Dashboard (<c>Microsoft.Orleans.Dashboard</c>) served at <c>/orleans-dashboard/</c> to analysts. The
/// section also binds Orleans' own <c>DashboardOptions</c> (<c>HideTrace</c>, <c>CounterUpdateIntervalMs</c>, <c>HistoryLength</c>).
/// </summary>
public sealed class OrleansDashboardOptions
{
    public const string Section = "OrleansDashboard";

    /// <summary>Off: no dashboard, and no per-call profiling filter on the grains.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long the browser session cookie opened with an analyst key lasts (it ends sooner if the key is removed).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Orleans' sampling period of the dashboard's counters; Orleans requires at least 1000.</summary>
    [Range(1000, 3_600_000)]
    public int CounterUpdateIntervalMs { get; set; } = 1000;
}
