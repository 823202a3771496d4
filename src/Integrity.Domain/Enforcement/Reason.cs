namespace Integrity.Domain.Enforcement;

/// <summary>
/// One tripped signal, explained: the <see cref="Code"/>, a <see cref="Message"/> with the numbers behind it, the
/// measured <see cref="Value"/> against its <see cref="Threshold"/>, the <see cref="Weight"/> it contributes to the
/// score (0 when informational or acknowledged by an analyst) and the ids of the events that tipped it.
/// <see cref="Inactive"/>: the signal tripped but does not count in this deployment, which does not send the evidence
/// it stands on (weight 0; the message says what is missing).
/// </summary>
/// <remarks>
/// The properties are declared in the body, in the order of the parameters, so that reflection (and the JSON shape)
/// sees them in that order although <see cref="Message"/> is not an auto-property.
/// </remarks>
public sealed record Reason(
    string Code,
    string Message,
    double Value,
    double Threshold,
    double Weight,
    IReadOnlyList<string> EventIds,
    bool Acknowledged = false,
    bool Inactive = false)
{
    /// <summary>Evidence lists are capped: enough to find the events, small enough for grain state and audit rows.</summary>
    public const int MaxEventIds = 20;

    private string? _message = Message;

    /// <summary>Writes the message on first read; it must close over values only, never over state that changes later.</summary>
    private readonly Func<string>? _describe;

    /// <summary>
    /// A reason whose message is written only when read: entities are re-evaluated on every event and fact, and most
    /// reasons are replaced by the next evaluation before anyone reads their text.
    /// </summary>
    internal Reason(string code, Func<string> describe, double value, double threshold, double weight, IReadOnlyList<string> eventIds, bool inactive)
        : this(code, null!, value, threshold, weight, eventIds, false, inactive) => _describe = describe;

    public string Code { get; init; } = Code;

    public string Message
    {
        get => _message ??= _describe!();
        init => _message = value;
    }

    public double Value { get; init; } = Value;

    public double Threshold { get; init; } = Threshold;

    public double Weight { get; init; } = Weight;

    public IReadOnlyList<string> EventIds { get; init; } = EventIds;

    public bool Acknowledged { get; init; } = Acknowledged;

    public bool Inactive { get; init; } = Inactive;

    /// <summary>Equal when every property is (as a record's own equality, with the message written if it was not yet).</summary>
    public bool Equals(Reason? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (Code == other.Code && Message == other.Message && Value.Equals(other.Value) && Threshold.Equals(other.Threshold) && Weight.Equals(other.Weight)
             && EqualityComparer<IReadOnlyList<string>>.Default.Equals(EventIds, other.EventIds) && Acknowledged == other.Acknowledged && Inactive == other.Inactive));

    public override int GetHashCode() => HashCode.Combine(Code, Message, Value, Threshold, Weight, EventIds, Acknowledged, Inactive);

    public override string ToString() => $"{Code}: {Message}";
}
