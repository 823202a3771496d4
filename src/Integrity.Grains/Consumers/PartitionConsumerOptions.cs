namespace Integrity.Grains.Consumers;

/// <summary>How often a partition consumer makes its progress durable, which bounds how stale stored state gets.</summary>
public sealed class PartitionConsumerOptions
{
    /// <summary>Interval between checkpoints: dirty grains are written, then the checkpoint moves. Default 2 s.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pause before retrying a row whose dispatch failed (the partition waits; nothing is skipped).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public IEnumerable<string> Validate()
    {
        if (CheckpointInterval <= TimeSpan.Zero || CheckpointInterval > TimeSpan.FromMinutes(5))
        {
            yield return $"CheckpointInterval must be within (0, 5 min], got {CheckpointInterval}";
        }

        if (RetryDelay <= TimeSpan.Zero)
        {
            yield return "RetryDelay must be positive";
        }
    }
}
