namespace Integrity.Domain.Enforcement;

/// <summary>
/// One tripped signal, explained: the <see cref="Code"/>, a <see cref="Message"/> with the numbers behind it, the
/// measured <see cref="Value"/> against its <see cref="Threshold"/>, the <see cref="Weight"/> it contributes to the
/// score (0 when informational or acknowledged by an analyst) and the ids of the events that tipped it.
/// <see cref="Inactive"/>: the signal tripped but does not count in this deployment, which does not send the evidence
/// it stands on (weight 0; the message says what is missing).
/// </summary>
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

    public override string ToString() => $"{Code}: {Message}";
}
