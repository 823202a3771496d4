namespace Integrity.Grains.Consumers;

/// <summary>How often a partition consumer makes its progress durable, which bounds how stale stored state gets.</summary>
public sealed class PartitionConsumerOptions
{
    /// <summary>Interval between checkpoints: dirty grains are written, then the checkpoint moves. Default 2 s.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How far the interval stretches under load. A checkpoint that took D is followed by a rest of D (at most this
    /// minus <see cref="CheckpointInterval"/>) before the next, so storage spends at most about half its time on grain
    /// state and a hot entity is written once for all the events of a longer interval. Default 10 s; never below
    /// <see cref="CheckpointInterval"/> (a longer interval does not stretch).
    /// </summary>
    public TimeSpan MaxCheckpointInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The rest after a checkpoint that took <paramref name="took"/>.</summary>
    public TimeSpan RestAfter(TimeSpan took)
    {
        var most = MaxCheckpointInterval > CheckpointInterval ? MaxCheckpointInterval - CheckpointInterval : TimeSpan.Zero;
        return took <= TimeSpan.Zero ? TimeSpan.Zero : took < most ? took : most;
    }

    /// <summary>Pause before retrying a row whose dispatch failed (the partition waits; nothing is skipped).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Grain-state writes one consumer has under way at once when it checkpoints. Azurite serves one request at a time,
    /// so more only queue in front of the journal's appends and reads (ingest latency); a real account wants more.
    /// </summary>
    public int MaxConcurrentFlushes { get; set; } = 2;

    /// <summary>
    /// The naive baseline, for benchmarks only: each event is delivered on its own and every grain it touched writes
    /// its state before the next event, and the checkpoint moves after every row (one storage write per event per grain).
    /// </summary>
    public bool WriteThrough { get; set; }

    public IEnumerable<string> Validate()
    {
        if (CheckpointInterval <= TimeSpan.Zero || CheckpointInterval > TimeSpan.FromMinutes(5))
        {
            yield return $"CheckpointInterval must be within (0, 5 min], got {CheckpointInterval}";
        }

        if (MaxCheckpointInterval <= TimeSpan.Zero || MaxCheckpointInterval > TimeSpan.FromMinutes(5))
        {
            yield return $"MaxCheckpointInterval must be within (0, 5 min], got {MaxCheckpointInterval}";
        }

        if (MaxConcurrentFlushes < 1)
        {
            yield return $"MaxConcurrentFlushes must be at least 1, got {MaxConcurrentFlushes}";
        }

        if (RetryDelay <= TimeSpan.Zero)
        {
            yield return "RetryDelay must be positive";
        }
    }
}
