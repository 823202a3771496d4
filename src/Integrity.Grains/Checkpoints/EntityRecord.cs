namespace Integrity.Grains.Checkpoints;

/// <summary>
/// What an entity grain stores: its domain state and, per journal partition, the row through which that state holds
/// every row delivered to it (<see cref="JournalRows"/>). Stored together in one row, so the coverage read back is
/// always the coverage of the state read back.
/// </summary>
public sealed class EntityRecord<TState>
    where TState : class, new()
{
    public TState State { get; set; } = new();

    /// <summary>Partition → highest row covered. Absent: no row of that partition was ever delivered.</summary>
    public Dictionary<int, long> JournalRows { get; set; } = [];

    /// <summary>Where the entity would stand under the candidate policy (absent while none runs); stored with the state it was assessed on.</summary>
    public Domain.Enforcement.ShadowLadder? Shadow { get; set; }
}
