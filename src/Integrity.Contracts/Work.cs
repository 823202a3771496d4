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
public sealed record EntityWork([property: Id(0)] IReadOnlyList<WorkItem> Items, [property: Id(1)] JournalRow? Row = null);

/// <summary>A fact for another entity, produced while applying work; the consumer delivers it in a later phase.</summary>
[GenerateSerializer, Immutable, Alias("integrity.Notice")]
public sealed record Notice([property: Id(0)] EntityRef Target, [property: Id(1)] WorkItem Item);

/// <summary>
/// What an entity grain did with its work: counts, rejected events with reasons, and notices for others; or, with
/// <see cref="Gap"/>, nothing, because its state lacks a row it was told it had (the consumer replays from its checkpoint).
/// </summary>
[GenerateSerializer, Immutable, Alias("integrity.WorkResult")]
public sealed record WorkResult(
    [property: Id(0)] int Applied,
    [property: Id(1)] int Duplicates,
    [property: Id(2)] IReadOnlyList<RejectedEvent> Rejected,
    [property: Id(3)] IReadOnlyList<Notice> Notices,
    [property: Id(4)] JournalRow? Gap = null)
{
    public static WorkResult Empty { get; } = new(0, 0, [], []);
}

[GenerateSerializer, Immutable, Alias("integrity.RejectedEvent")]
public sealed record RejectedEvent([property: Id(0)] string EventId, [property: Id(1)] string Code, [property: Id(2)] string Reason);

/// <summary>
/// The journal row a piece of work comes from: its partition and sequence, and the previous row of that partition the
/// consumer delivered to the same entity (0 when it makes no claim: the first since its durable checkpoint). An entity
/// that has not applied <see cref="Previous"/> lost work it had acknowledged, and refuses the row (a gap).
/// </summary>
[GenerateSerializer, Immutable, Alias("integrity.JournalRow")]
public sealed record JournalRow([property: Id(0)] int Partition, [property: Id(1)] long Sequence, [property: Id(2)] long Previous);

/// <summary>
/// Per journal partition, the highest row through which an entity's state holds every row delivered to it: as stored
/// (after a flush) or as applied in memory.
/// </summary>
[GenerateSerializer, Immutable, Alias("integrity.JournalCoverage")]
public sealed record JournalCoverage([property: Id(0)] IReadOnlyDictionary<int, long> Through)
{
    public static JournalCoverage None { get; } = new(new Dictionary<int, long>());

    public long For(int partition) => Through.TryGetValue(partition, out var through) ? through : 0;
}
