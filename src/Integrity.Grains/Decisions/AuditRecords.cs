using Integrity.Contracts;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
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

    /// <summary>
    /// A candidate policy's would-be decision, for its own table (<see cref="Contracts.Services.IShadowDecisionLog"/>):
    /// shaped as an audit record, of kind <c>shadow</c>, so the comparison reads both sides alike.
    /// </summary>
    public static AuditRecord FromShadow(Decision decision, DateTimeOffset recordedAt) =>
        From(decision, recordedAt) with { Kind = Contracts.Services.IShadowDecisionLog.ShadowKind };

    /// <summary>Record kind of a filed appeal; its outcome is an <c>action</c> whose origin is <c>appeal_*</c>.</summary>
    public const string AppealKind = "appeal";

    /// <summary>
    /// A filed appeal: entry <c>appeal/{appealId}</c> (the same again after a replay), at the filing's event time, with
    /// the entity's step and score then, and the case (statement, attachment references, the contested step) as details.
    /// </summary>
    public static AuditRecord FromAppeal(EntityKind kind, string entityId, AppealCase appeal, string step, double score, string policyVersion, DateTimeOffset recordedAt) => new(
        EntityKind: kind.ToString().ToLowerInvariant(),
        EntityId: entityId,
        EntryId: "appeal/" + appeal.AppealId,
        Kind: AppealKind,
        OccurredAt: appeal.FiledAt,
        RecordedAt: recordedAt,
        Step: step,
        Score: score,
        PolicyVersion: policyVersion,
        Actor: null,
        Details: DomainJson.Serialize(new AppealDetails(appeal, Ladders.StepName(kind, appeal.FromLevel), Ladders.StepName(kind, appeal.ToLevel))));

    /// <summary>The case as audited, with the contested step's names beside its levels.</summary>
    private sealed record AppealDetails(
        string AppealId, string EventId, DateTimeOffset FiledAt, string Statement, IReadOnlyList<string> Attachments,
        string DecisionId, int FromLevel, int ToLevel, string ContestedFrom, string ContestedTo, DateTimeOffset DecidedStepAt, IReadOnlyList<string> ReasonCodes)
    {
        public AppealDetails(AppealCase c, string from, string to)
            : this(c.AppealId, c.EventId, c.FiledAt, c.Statement, c.Attachments, c.DecisionId, c.FromLevel, c.ToLevel, from, to, c.DecidedStepAt, c.ReasonCodes)
        {
        }
    }
}
