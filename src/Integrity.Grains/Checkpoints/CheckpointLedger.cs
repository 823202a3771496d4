using Integrity.Contracts;
using Integrity.Domain.Events;

namespace Integrity.Grains.Checkpoints;

/// <summary>
/// A partition consumer's side of the checkpoint rule: "a checkpoint never passes a row whose effect is not stored".
/// It stamps each delivery with the previous row the same entity received (so the entity can tell a gap), remembers
/// the last row each entity received since the last checkpoint, and after the flush says which entities' stored
/// coverage falls short. Pure bookkeeping; the grain does the calls.
/// </summary>
public sealed class CheckpointLedger(int partition)
{
    private Dictionary<EntityRef, long> _delivered = [];
    private Dictionary<EntityRef, long> _pending = [];

    public int Partition => partition;

    /// <summary>Entities that received rows since the last checkpoint.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>The row stamp for <paramref name="entity"/>: this row, and the last row it completed since the base.</summary>
    public JournalRow Stamp(EntityRef entity, long sequence) =>
        new(partition, sequence, _delivered.TryGetValue(entity, out var previous) ? previous : 0);

    /// <summary>After a row's delivery succeeded: these entities hold it (in memory, for now).</summary>
    public void Delivered(IEnumerable<EntityRef> entities, long sequence)
    {
        foreach (var entity in entities)
        {
            _delivered[entity] = sequence;
            _pending[entity] = sequence;
        }
    }

    /// <summary>Starts a checkpoint: the entities to flush and the last row each received. Those after it start anew.</summary>
    public IReadOnlyDictionary<EntityRef, long> TakePending()
    {
        var taken = _pending;
        _pending = [];
        return taken;
    }

    /// <summary>A checkpoint that could not complete gives its entities back, to be flushed and checked next time.</summary>
    public void Restore(IReadOnlyDictionary<EntityRef, long> taken)
    {
        foreach (var (entity, sequence) in taken)
        {
            _pending[entity] = Math.Max(sequence, _pending.TryGetValue(entity, out var later) ? later : 0);
        }
    }

    /// <summary>The entities whose stored coverage of this partition is short of the last row they received.</summary>
    public IReadOnlyList<EntityRef> Uncovered(IReadOnlyDictionary<EntityRef, long> taken, IReadOnlyDictionary<EntityRef, JournalCoverage> stored) =>
        [.. taken.Where(t => !stored.TryGetValue(t.Key, out var coverage) || coverage.For(partition) < t.Value).Select(t => t.Key)];

    /// <summary>
    /// Replaying from the durable checkpoint: every row after it will be delivered again, so no delivery claims a
    /// previous row until it has been delivered in the replay.
    /// </summary>
    public void Rewind() => _delivered = [];
}
