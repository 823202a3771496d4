using Integrity.Contracts;
using Integrity.Contracts.Audit;
using Integrity.Domain.Events;

namespace Integrity.Engine.Tests;

/// <summary>What the scenario tests need of an engine: one silo in process, or a cluster of host processes.</summary>
public interface IEngineUnderTest
{
    /// <summary>Appends the events to the journal, in order, in batches as ingest would.</summary>
    Task IngestAsync(IReadOnlyList<IntegrityEvent> events, int batchSize = 500);

    /// <summary>Waits until every partition's checkpoint has reached its journal head (states and decisions durable).</summary>
    Task WaitUntilSettledAsync(TimeSpan? timeout = null);

    Task<EntityView> ViewAsync(EntityKind kind, string id);

    Task<EntityView> ActAsync(EntityKind kind, string id, AnalystCommand command);

    Task<IReadOnlyList<AuditRecord>> DecisionsAsync(EntityKind kind, string id);

    /// <summary>The entity's audit trail checked against its hash chain, head and digests.</summary>
    Task<AuditVerification> VerifyAuditAsync(EntityKind kind, string id);
}
