using Integrity.Contracts;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Serialization;

namespace Integrity.Grains.Decisions;

/// <summary>How a domain decision is written to the audit trail.</summary>
public static class AuditRecords
{
    public static AuditRecord From(Decision decision, DateTimeOffset recordedAt) => new(
        EntityKind: decision.EntityKind.ToString().ToLowerInvariant(),
        EntityId: decision.EntityId,
        EntryId: decision.DecisionId,
        Kind: decision.Origin == DecisionOrigin.Automatic ? "decision" : "action",
        OccurredAt: decision.At,
        RecordedAt: recordedAt,
        Step: decision.To,
        Score: decision.Score,
        PolicyVersion: decision.PolicyVersion,
        Actor: decision.Analyst,
        Details: DomainJson.Serialize(decision));
}
