using System.Text.Json.Serialization;

namespace Integrity.Domain.State;

/// <summary>Whether an event may change state.</summary>
public enum ApplyStatus
{
    Applied,

    /// <summary>The id was applied before; nothing changes.</summary>
    Duplicate,

    /// <summary>
    /// Older than every id the bounded log still remembers, so it cannot be told apart from a redelivery; it is skipped
    /// to guarantee no double counting (the grain layer should dead-letter it).
    /// </summary>
    TooLate,
}

/// <summary>An applied event id and its time: a value, so a thousand of them per entity are one array, not a thousand objects.</summary>
public readonly record struct AppliedEvent(string Id, DateTimeOffset At);

/// <summary>
/// The ids of events an entity has applied: the idempotency memory. Bounded to <see cref="Capacity"/> ids; when full
/// the oldest tenth by event time is forgotten and <see cref="ForgottenBefore"/> remembers up to when. An event at or
/// before that time with an unknown id is reported <see cref="ApplyStatus.TooLate"/> rather than risked.
/// Redeliveries come from journal replay of recent events, so the last thousand ids per entity cover them.
/// </summary>
public sealed class AppliedEventLog
{
    public const int DefaultCapacity = 1000;

    private HashSet<string>? _index;

    public int Capacity { get; set; } = DefaultCapacity;

    public List<AppliedEvent> Entries { get; set; } = [];

    public DateTimeOffset? ForgottenBefore { get; set; }

    /// <summary>
    /// Below this many ids a search of <see cref="Entries"/> is as quick as hashing, and most entities of a replay (a
    /// reviewer with a review or two) never get an index: three objects fewer per entity, kept for as long as it is.
    /// </summary>
    private const int IndexedFrom = 16;

    [JsonIgnore]
    private HashSet<string> Index => _index ??= BuildIndex(Entries);

    private static HashSet<string> BuildIndex(List<AppliedEvent> entries)
    {
        // A new entity's log is empty: most entities of a replay start here, once each.
        var index = new HashSet<string>(entries.Count, StringComparer.Ordinal);
        foreach (var entry in entries) index.Add(entry.Id);
        return index;
    }

    public ApplyStatus Check(string eventId, DateTimeOffset occurredAt)
    {
        if (Contains(eventId)) return ApplyStatus.Duplicate;
        return ForgottenBefore is { } forgotten && occurredAt <= forgotten ? ApplyStatus.TooLate : ApplyStatus.Applied;
    }

    public void Record(string eventId, DateTimeOffset occurredAt)
    {
        if (Contains(eventId)) return;
        RecordNew(eventId, occurredAt);
    }

    /// <summary>
    /// <see cref="Record"/> for an id <see cref="Check"/> has just reported <see cref="ApplyStatus.Applied"/> on this log
    /// (or on the log it was cloned from): not searched for again. Every apply checks, then records, and a seller's or
    /// listing's search is a hash of the id into a set of up to a thousand.
    /// </summary>
    internal void RecordNew(string eventId, DateTimeOffset occurredAt)
    {
        Entries.Add(new AppliedEvent(eventId, occurredAt));
        _index?.Add(eventId);
        if (Entries.Count <= Capacity) return;

        var drop = Math.Max(1, Capacity / 10);
        if (InTimeOrder(Entries))
        {
            // The usual case (events arrive about in time order): the oldest are the first, no sorting, and the index
            // loses just their ids instead of being built again.
            ForgottenBefore = Max(ForgottenBefore, Entries[drop - 1].At);
            for (var i = 0; i < drop; i++) _index?.Remove(Entries[i].Id);
            Entries.RemoveRange(0, drop);
            return;
        }

        var sorted = Entries.OrderBy(e => e.At).ToList();
        var forgotten = sorted.Take(drop).ToList();
        ForgottenBefore = Max(ForgottenBefore, forgotten.Max(e => e.At));
        var dropIds = forgotten.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        Entries.RemoveAll(e => dropIds.Contains(e.Id));
        _index = null;
    }

    /// <summary>Whether the id is remembered. The index, once built, holds exactly the ids of <see cref="Entries"/>.</summary>
    private bool Contains(string eventId)
    {
        if (_index is null && Entries.Count < IndexedFrom)
        {
            foreach (var entry in Entries)
            {
                if (string.Equals(entry.Id, eventId, StringComparison.Ordinal)) return true;
            }

            return false;
        }

        return Index.Contains(eventId);
    }

    private static bool InTimeOrder(List<AppliedEvent> entries)
    {
        for (var i = 1; i < entries.Count; i++)
        {
            if (entries[i].At < entries[i - 1].At) return false;
        }

        return true;
    }

    /// <summary>
    /// A copy that carries the id index along (a set copied from a set with the same comparer copies its buckets
    /// without hashing again): states are cloned for every event, and rebuilding the index from the entries each time
    /// hashed up to <see cref="Capacity"/> ids per event.
    /// </summary>
    public AppliedEventLog Clone() => new()
    {
        Capacity = Capacity,
        Entries = [.. Entries],
        ForgottenBefore = ForgottenBefore,
        _index = _index is null ? null : new HashSet<string>(_index, _index.Comparer),
    };

    private static DateTimeOffset Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;
}
