using System.ComponentModel.DataAnnotations;

namespace Integrity.Host.Telemetry;

/// <summary>How the host reports itself: the Prometheus scrape endpoint and the gauges it polls for.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Serve <c>/metrics</c> (Prometheus text format) to keys with the viewer role.</summary>
    public bool PrometheusEndpoint { get; set; } = true;

    /// <summary>
    /// How often the journal heads of the partitions this silo consumes are read for <c>integrity.journal.backlog</c>
    /// (a point read per partition). Appends through this host move the head at once; this catches other silos' appends.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan BacklogPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>service.name</c> of the OpenTelemetry resource (unless <c>OTEL_SERVICE_NAME</c> says otherwise).</summary>
    [Required]
    public string ServiceName { get; set; } = "integrity";
}
