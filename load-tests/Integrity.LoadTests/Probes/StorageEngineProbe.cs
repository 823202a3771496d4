using Integrity.Harness.Engine;
using Integrity.Harness.Ledger;
using Integrity.Harness.Market;
using Integrity.LoadTests.Evaluation;

namespace Integrity.LoadTests.Probes;

/// <summary>
/// The engine read back from its own storage: applied-event counters from the grain-state table (the harness's
/// <see cref="EngineTables"/>, one scan for every entity) and decisions from the audit trail. Only possible when the
/// harness can reach that storage (self-hosted, or given the connection string).
/// </summary>
public sealed class StorageEngineProbe(string connectionString, string serviceId = "integrity") : IBulkEngineProbe
{
    private readonly EngineTables _tables = new(connectionString);
    private readonly AuditTrailDecisions _decisions = new(connectionString);

    public Task<EntityCounters?> GetEntityAsync(EntityKind kind, string id, CancellationToken cancellationToken) =>
        _tables.StoredEntityAsync(new EntityKey(kind, id), serviceId, cancellationToken);

    public async Task<IReadOnlyDictionary<EntityKey, EntityCounters>> GetAllEntitiesAsync(CancellationToken cancellationToken) =>
        await _tables.StoredEntitiesAsync(cancellationToken: cancellationToken);

    public IAsyncEnumerable<DecisionInfo> GetDecisionsAsync(DateTimeOffset since, CancellationToken cancellationToken) => _decisions.ReadAsync(since, cancellationToken);
}
