namespace Integrity.Grains.Consumers;

/// <summary>The two lanes of a partition consumer's work: rows going out to grains, and checkpoints.</summary>
internal enum ConsumerLane
{
    Dispatch,
    Checkpoint,
}

/// <summary>
/// What a partition consumer is waiting on in each lane, and since when, so that work which hangs says where it hangs
/// (the checkpoint timer asks for <see cref="Overdue"/>) instead of stalling the partition without a word.
/// </summary>
internal sealed class StageWatch(TimeProvider time)
{
    private readonly (string? What, long Since)[] _lanes = new (string?, long)[2];
    private long _lastReport;

    public void Enter(ConsumerLane lane, string what) => _lanes[(int)lane] = (what, time.GetTimestamp());

    public void Leave(ConsumerLane lane) => _lanes[(int)lane] = (null, 0);

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
            if (_lanes[lane] is ({ } what, var since) && time.GetElapsedTime(since, now) is var took && took > after)
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
}
