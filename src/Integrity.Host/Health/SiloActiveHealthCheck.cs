using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Integrity.Host.Health;

/// <summary>
/// Ready only while this silo is <see cref="SiloStatus.Active"/> in the cluster's membership: not while it is still
/// joining, nor once it is shutting down or was declared dead (its grains and partitions are then elsewhere).
/// </summary>
public sealed class SiloActiveHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("This silo is active in the cluster.")
            : HealthCheckResult.Unhealthy($"This silo is {status} in the cluster, not active."));
    }
}
