using Integrity.LoadTests.Evaluation;
using Integrity.Harness.Market;

namespace Integrity.LoadTests.Probes;

/// <summary>
/// The engine read back from its own storage: applied-event counters from the grain-state table and decisions from
/// the audit trail. Only possible when the harness can reach that storage (self-hosted, or given the connection string).
/// </summary>
public sealed class StorageEngineProbe(string connectionString, string serviceId = "integrity") : IBulkEngineProbe
{
    private readonly GrainStateCounters _counters = new(connectionString);
    private readonly AuditTrailDecisions _decisions = new(connectionString);

    public Task<EntityCounters?> GetEntityAsync(EntityKind kind, string id, CancellationToken cancellationToken) =>
        EvaluationScope.CountedKinds.Contains(kind) ? _counters.ReadAsync(kind, id, serviceId, cancellationToken) : Task.FromResult<EntityCounters?>(null);

    public async Task<IReadOnlyDictionary<EntityKey, EntityCounters>> GetAllEntitiesAsync(CancellationToken cancellationToken) =>
        await _counters.ReadAllAsync(cancellationToken);

    public IAsyncEnumerable<DecisionInfo> GetDecisionsAsync(DateTimeOffset since, CancellationToken cancellationToken) => _decisions.ReadAsync(since, cancellationToken);
}
