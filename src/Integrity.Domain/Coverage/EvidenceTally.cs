namespace Integrity.Domain.Coverage;

/// <summary>How many events of one source arrived, and the event times of the first and the latest.</summary>
public sealed record EvidenceCount(EvidenceSource Source, long Events, DateTimeOffset? FirstAt, DateTimeOffset? LastAt)
{
    public EvidenceCount Plus(EvidenceCount other) => this with
    {
        Events = Events + other.Events,
        FirstAt = Earlier(FirstAt, other.FirstAt),
        LastAt = LastAt is null || (other.LastAt is { } l && l > LastAt) ? other.LastAt : LastAt,
    };

    private static DateTimeOffset? Earlier(DateTimeOffset? a, DateTimeOffset? b) => a is null || (b is { } x && x < a) ? b : a;
}

/// <summary>
/// Per-deployment evidence statistics: one count per source. Counts are of events as delivered, so an event delivered
/// twice after a crash may count twice: they say what a platform sends and roughly how much, not an exact tally.
/// </summary>
public sealed record EvidenceTally(IReadOnlyList<EvidenceCount> Sources)
{
    public static EvidenceTally Empty { get; } = new([.. Enum.GetValues<EvidenceSource>().Select(s => new EvidenceCount(s, 0, null, null))]);

    public EvidenceCount this[EvidenceSource source] => Sources.FirstOrDefault(c => c.Source == source) ?? new EvidenceCount(source, 0, null, null);

    public bool IsEmpty => Sources.All(c => c.Events == 0);

    /// <summary>Both tallies added up, source by source.</summary>
    public EvidenceTally Plus(EvidenceTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new([.. Enum.GetValues<EvidenceSource>().Select(s => this[s].Plus(other[s]))]);
    }
}
