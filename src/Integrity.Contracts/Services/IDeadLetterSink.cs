namespace Integrity.Contracts.Services;

/// <summary>Where events the consumer cannot apply (valid shape, impossible content) are kept with their reason.</summary>
public interface IDeadLetterSink
{
    Task AppendAsync(IReadOnlyList<ConsumerDeadLetter> letters, CancellationToken cancellationToken = default);
}

/// <summary>A poison event found by the consumer: the partition and sequence locate it in the journal.</summary>
public sealed record ConsumerDeadLetter(int Partition, long Sequence, string EventId, string EventType, string Code, string Reason, DateTimeOffset At);
