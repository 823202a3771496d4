using Azure.Data.Tables;
using Integrity.Host.Apis;
using Integrity.Host.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Integrity.Host.Health;

/// <summary>
/// Ready only while storage answers: the shared account (journal, checkpoints, audit, index, membership) and, when it
/// has one of its own (<c>Storage:GrainStateConnectionString</c>), grain state's. The same probe as <c>/health</c>.
/// </summary>
public sealed class StorageHealthCheck(TableServiceClient tables, IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!await HealthApi.AnswersAsync(tables, cancellationToken))
        {
            return HealthCheckResult.Unhealthy("Storage (Storage:ConnectionString) does not answer.");
        }

        if (services.GetKeyedService<TableServiceClient>(StorageOptions.GrainStateServiceKey) is { } grainState
            && !await HealthApi.AnswersAsync(grainState, cancellationToken))
        {
            return HealthCheckResult.Unhealthy("Grain-state storage (Storage:GrainStateConnectionString) does not answer.");
        }

        return HealthCheckResult.Healthy("Storage answers.");
    }
}
