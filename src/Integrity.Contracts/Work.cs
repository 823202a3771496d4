using Integrity.Domain.Events;
using Integrity.Domain.Helpers;

namespace Integrity.Contracts;

/// <summary>One journal row as it travels on the journal stream: partition, sequence number and events.</summary>
[GenerateSerializer, Immutable, Alias("integrity.JournalSlice")]
public sealed record JournalSlice(
    [property: Id(0)] int Partition,
    [property: Id(1)] long Sequence,
    [property: Id(2)] IReadOnlyList<IntegrityEvent> Events);

/// <summary>
/// One thing for an entity grain to apply: an event (with the context another entity observed for it), or a fact
/// another entity learned (a reviewer's risk, a listing's outcome, a linked seller's step, a co-review).
/// A fact's <see cref="CauseEventId"/> places it right after the event that caused it, as if applied one by one.
/// </summary>
[GenerateSerializer, Immutable, Alias("integrity.WorkItem")]
public sealed record WorkItem(
    [property: Id(0)] IntegrityEvent? Event = null,
    [property: Id(1)] ReviewerContext? ReviewerContext = null,
    [property: Id(2)] ReviewerRiskFact? ReviewerRisk = null,
    [property: Id(3)] ListingOutcomeFact? ListingOutcome = null,
    [property: Id(4)] LinkedSellerFact? LinkedSeller = null,
    [property: Id(5)] CoReviewFact? CoReview = null,
    [property: Id(6)] string? CauseEventId = null,
    [property: Id(7)] CategoryPriceSnapshot? CategoryPrices = null);

/// <summary>Items for one entity grain, in the order to apply them. Immutable: local calls pass it without copying.</summary>
[GenerateSerializer, Immutable, Alias("integrity.EntityWork")]
public sealed record EntityWork([property: Id(0)] IReadOnlyList<WorkItem> Items);

/// <summary>A fact for another entity, produced while applying work; the consumer delivers it in a later phase.</summary>
[GenerateSerializer, Immutable, Alias("integrity.Notice")]
public sealed record Notice([property: Id(0)] EntityRef Target, [property: Id(1)] WorkItem Item);

/// <summary>What an entity grain did with its work: counts, rejected events with reasons, and notices for others.</summary>
[GenerateSerializer, Immutable, Alias("integrity.WorkResult")]
public sealed record WorkResult(
    [property: Id(0)] int Applied,
    [property: Id(1)] int Duplicates,
    [property: Id(2)] IReadOnlyList<RejectedEvent> Rejected,
    [property: Id(3)] IReadOnlyList<Notice> Notices)
{
    public static WorkResult Empty { get; } = new(0, 0, [], []);
}

[GenerateSerializer, Immutable, Alias("integrity.RejectedEvent")]
public sealed record RejectedEvent([property: Id(0)] string EventId, [property: Id(1)] string Code, [property: Id(2)] string Reason);
