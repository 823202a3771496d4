namespace Integrity.Storage.AzureTables.DeadLetters;

/// <summary>
/// An event that was not applied, kept with its reason: a line ingest rejected (<see cref="DeadLetterSources.Ingest"/>)
/// or an event of valid shape the consumer could not apply (<see cref="DeadLetterSources.Consumer"/>).
/// Never holds a raw API key, nor the line itself: only an allow-list of what it was (type, ids that pass the id rule,
/// code, reason, line number, size) and <see cref="RawHash"/>, a keyed hash of the line as received.
/// </summary>
public sealed record DeadLetter
{
    public required DateTimeOffset At { get; init; }

    /// <summary><see cref="DeadLetterSources.Ingest"/> or <see cref="DeadLetterSources.Consumer"/>.</summary>
    public required string Source { get; init; }

    /// <summary>The ingest request id, or for the consumer the journal position (e.g. <c>p003-42</c>).</summary>
    public required string RequestId { get; init; }

    /// <summary>1-based line (or array element) number in the request; for the consumer, the event's place in its row.</summary>
    public required int Line { get; init; }

    public required string Code { get; init; }

    public required string Reason { get; init; }

    public string? EventId { get; init; }

    public string? EventType { get; init; }

    /// <summary>Top-level ids of the line that pass the wire's id rule (e.g. <c>sellerId</c>), by field name.</summary>
    public IReadOnlyDictionary<string, string>? Ids { get; init; }

    /// <summary>
    /// Keyed hash (HMAC-SHA256 under <c>Security:IdentifierHashKey</c>, 128 bits, hex) of the line as received, or of
    /// its first <see cref="DeadLetterTable.MaxRawBytes"/> bytes for a line over the size limit.
    /// </summary>
    public string? RawHash { get; init; }

    /// <summary>Size in bytes of the whole line as received.</summary>
    public int? RawBytes { get; init; }

    /// <summary>Role of the API key that sent the line (ingest path).</summary>
    public string? KeyRole { get; init; }

    /// <summary>First hex digits of the SHA-256 of the API key that sent the line: identifies a key, reveals nothing.</summary>
    public string? KeyHashPrefix { get; init; }

    /// <summary>Journal partition and sequence of a poison event (consumer path).</summary>
    public int? Partition { get; init; }

    public long? Sequence { get; init; }
}

public static class DeadLetterSources
{
    public const string Ingest = "ingest";
    public const string Consumer = "consumer";
}
