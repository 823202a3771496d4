namespace Integrity.Contracts;

/// <summary>
/// One line of the audit trail: a decision, an analyst action or a score change of one entity.
/// <see cref="Details"/> is JSON (reasons with evidence, event ids, notes); identifiers in it are already keyed hashes.
/// <see cref="EntryId"/> is deterministic for decisions, so a replayed event re-appends the same row instead of a twin.
/// </summary>
[GenerateSerializer, Immutable, Alias("integrity.AuditRecord")]
public sealed record AuditRecord(
    [property: Id(0)] string EntityKind,
    [property: Id(1)] string EntityId,
    [property: Id(2)] string EntryId,
    [property: Id(3)] string Kind,
    [property: Id(4)] DateTimeOffset OccurredAt,
    [property: Id(5)] DateTimeOffset RecordedAt,
    [property: Id(6)] string? Step,
    [property: Id(7)] double? Score,
    [property: Id(8)] string? PolicyVersion,
    [property: Id(9)] string? Actor,
    [property: Id(10)] string Details);
