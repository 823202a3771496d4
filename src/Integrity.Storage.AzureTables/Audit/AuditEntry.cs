namespace Integrity.Storage.AzureTables.Audit;

/// <summary>
/// One line of the audit trail: a decision, an analyst action or a score change of one entity.
/// <see cref="Details"/> is JSON (reasons with evidence, event ids, notes); identifiers in it are already keyed hashes.
/// </summary>
public sealed record AuditEntry(
    string EntityKind,
    string EntityId,
    string EntryId,
    string Kind,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    string? Step,
    double? Score,
    string? PolicyVersion,
    string? Actor,
    string Details);
