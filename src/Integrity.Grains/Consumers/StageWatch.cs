namespace Integrity.Grains.Consumers;

/// <summary>The two lanes of a partition consumer's work: rows going out to grains, and checkpoints.</summary>
public enum ConsumerLane
{
    Dispatch,
    Checkpoint,
}

/// <summary>
/// What a partition consumer is waiting on in each lane, and since when, so that work which hangs says where it hangs
/// (the checkpoint timer asks for <see cref="Overdue"/>) instead of stalling the partition without a word.
/// </summary>
public sealed class StageWatch(TimeProvider time)
{
    private readonly (string? What, long Since, long Entry)[] _lanes = new (string?, long, long)[2];
    private long _entries;
    private long _lastReport;

    /// <summary>
    /// Marks <paramref name="lane"/> as waiting on <paramref name="what"/> from now. Disposing the returned stage leaves the
    /// lane unless a later <see cref="Enter"/> has taken it over (that one's own stage, or <see cref="Leave"/>, ends it).
    /// </summary>
    public Stage Enter(ConsumerLane lane, string what)
    {
        var entry = ++_entries;
        _lanes[(int)lane] = (what, time.GetTimestamp(), entry);
        return new Stage(this, lane, entry);
    }

    public void Leave(ConsumerLane lane) => _lanes[(int)lane] = (null, 0, 0);

    /// <summary>The stages under way for longer than <paramref name="after"/>; at most once per <paramref name="after"/>.</summary>
    public IReadOnlyList<(ConsumerLane Lane, string What, TimeSpan For)> Overdue(TimeSpan after)
    {
        var now = time.GetTimestamp();
        if (_lastReport != 0 && time.GetElapsedTime(_lastReport, now) < after)
        {
            return [];
        }

        var overdue = new List<(ConsumerLane, string, TimeSpan)>();
        for (var lane = 0; lane < _lanes.Length; lane++)
        {
            if (_lanes[lane] is ({ } what, var since, _) && time.GetElapsedTime(since, now) is var took && took > after)
            {
                overdue.Add(((ConsumerLane)lane, what, took));
            }
        }

        if (overdue.Count > 0)
        {
            _lastReport = now;
        }

        return overdue;
    }

    private void LeaveIfStill(ConsumerLane lane, long entry)
    {
        if (_lanes[(int)lane].Entry == entry)
        {
            Leave(lane);
        }
    }

    /// <summary>One stage under way: disposing it ends it, however the work inside it ended.</summary>
    public readonly struct Stage(StageWatch watch, ConsumerLane lane, long entry) : IDisposable
    {
        public void Dispose() => watch.LeaveIfStill(lane, entry);
    }
}
