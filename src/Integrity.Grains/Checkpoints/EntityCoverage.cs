using Integrity.Contracts;

namespace Integrity.Grains.Checkpoints;

/// <summary>
/// An entity's side of the checkpoint rule: which journal rows its state holds. A row whose
/// <see cref="JournalRow.Previous"/> the state does not cover reveals a gap (an earlier activation applied rows whose
/// state never reached storage); the entity then refuses the row and the consumer replays from its checkpoint.
/// </summary>
public sealed class EntityCoverage(IReadOnlyDictionary<int, long>? through = null)
{
    private readonly Dictionary<int, long> _through = through is null ? [] : new(through);

    /// <summary>True when every row the consumer says it delivered before <paramref name="row"/> is held.</summary>
    public bool Holds(JournalRow row) => row.Previous <= Through(row.Partition);

    /// <summary>Records that the state now holds <paramref name="row"/>; true when that moved the coverage.</summary>
    public bool Advance(JournalRow row)
    {
        if (row.Sequence <= Through(row.Partition))
        {
            return false;
        }

        _through[row.Partition] = row.Sequence;
        return true;
    }

    public long Through(int partition) => _through.TryGetValue(partition, out var through) ? through : 0;

    /// <summary>A copy, to store with the state or to report.</summary>
    public Dictionary<int, long> Snapshot() => new(_through);
}
