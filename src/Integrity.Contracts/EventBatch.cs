using Integrity.Domain.Events;

namespace Integrity.Contracts;

/// <summary>Events for one entity grain, in journal order. Immutable, so local calls pass it without copying.</summary>
[GenerateSerializer, Immutable, Alias("integrity.EventBatch")]
public sealed record EventBatch([property: Id(0)] IReadOnlyList<IntegrityEvent> Events);

/// <summary>One durable journal row as it travels on the journal stream: partition, sequence number and events.</summary>
[GenerateSerializer, Immutable, Alias("integrity.JournalSlice")]
public sealed record JournalSlice(
    [property: Id(0)] int Partition,
    [property: Id(1)] long Sequence,
    [property: Id(2)] IReadOnlyList<IntegrityEvent> Events);

/// <summary>What an entity grain did with a batch. Rejected events (impossible content) carry their reason.</summary>
[GenerateSerializer, Immutable, Alias("integrity.ApplyOutcome")]
public sealed record ApplyOutcome(
    [property: Id(0)] int Applied,
    [property: Id(1)] int Duplicates,
    [property: Id(2)] IReadOnlyList<RejectedEvent> Rejected)
{
    public static ApplyOutcome Empty { get; } = new(0, 0, []);
}

[GenerateSerializer, Immutable, Alias("integrity.RejectedEvent")]
public sealed record RejectedEvent([property: Id(0)] string EventId, [property: Id(1)] string Code, [property: Id(2)] string Reason);
