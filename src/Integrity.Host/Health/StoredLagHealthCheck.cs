using System.Globalization;
using Integrity.Host.Ingest;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Health;

/// <summary>
/// Ready only while stored grain state is within the staleness bound (<c>Ingest:MaxStoredLagSeconds</c>): the very
/// gate ingest answers 503 "Engine behind" by (<see cref="StoredLagTracker.Refuse"/>), so a load balancer stops sending
/// to a host that would refuse events anyway, and sends again once its checkpoints catch up.
/// </summary>
public sealed class StoredLagHealthCheck(StoredLagTracker tracker, IOptions<IngestOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = StoredLagTracker.Now(time);
        var bound = options.Value.MaxStoredLagSeconds;
        var lag = tracker.Lag(now);
        var data = new Dictionary<string, object> { ["lagSeconds"] = Math.Round(lag.TotalSeconds, 3), ["boundSeconds"] = bound };
        return Task.FromResult(tracker.Refuse(now, bound) is { } behind
            ? HealthCheckResult.Unhealthy(string.Create(CultureInfo.InvariantCulture,
                $"Stored state is {behind.Lag.TotalSeconds:0.0} s behind and a checkpoint takes about {behind.Cycle.TotalSeconds:0.0} s: past the bound of {bound:0.#} s (Ingest:MaxStoredLagSeconds)."), data: data)
            : HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"Stored state is {lag.TotalSeconds:0.0} s behind; the bound is {bound:0.#} s."), data));
    }
}
