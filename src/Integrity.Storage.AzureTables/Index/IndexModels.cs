namespace Integrity.Storage.AzureTables.Index;

/// <summary>An entity as the lists show it: where it stands after its latest decision or action.</summary>
public sealed record RankedEntity(
    string Kind,
    string Id,
    int Level,
    string Step,
    double Score,
    IReadOnlyList<string> ReasonCodes,
    string LastEntryId,
    string LastOrigin,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? OpenedAt);

/// <summary>One decision, analyst action or note in the time index; a summary of the audit row (no evidence lists).</summary>
public sealed record IndexedDecision(
    string EntryId,
    string EntityKind,
    string EntityId,
    string Kind,
    string? Origin,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    string? From,
    string? Step,
    int? Level,
    double? Score,
    string? PolicyVersion,
    string? Actor,
    string? Note,
    IReadOnlyList<string> ReasonCodes);

/// <summary>A page of a list, and the token that continues it (null on the last page).</summary>
public sealed record IndexPage<T>(IReadOnlyList<T> Items, string? Continuation);

/// <summary>Decisions newest first in [<see cref="From"/>, <see cref="To"/>), optionally of one entity kind and one record kind.</summary>
public sealed record DecisionQuery(
    string? EntityKind = null,
    string? RecordKind = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Limit = 50,
    string? Continuation = null);

/// <summary>A continuation token that this index did not issue (or that was altered).</summary>
public sealed class InvalidContinuationException(string message) : Exception(message);

/// <summary>
/// An appeal awaiting an analyst, as the queue shows it: the entity and its step when the appeal was filed, the step
/// contested (decision id, from → to, its reason codes, the policy version), and the start of the statement.
/// </summary>
public sealed record OpenAppeal(
    string Kind,
    string Id,
    string AppealId,
    DateTimeOffset FiledAt,
    string? Step,
    double? Score,
    string DecisionId,
    string? ContestedFrom,
    string? ContestedTo,
    int? ContestedLevel,
    IReadOnlyList<string> ReasonCodes,
    string Statement,
    int Attachments,
    string? PolicyVersion);
