using Integrity.Grains.Consumers;

namespace Integrity.Engine.Tests;

public sealed class CheckpointPacingTests
{
    [Fact]
    public void Under_load_the_checkpoint_interval_stretches_by_what_the_last_checkpoint_took_up_to_its_bound()
    {
        var options = new PartitionConsumerOptions { CheckpointInterval = TimeSpan.FromSeconds(2), MaxCheckpointInterval = TimeSpan.FromSeconds(10) };

        Assert.Equal(TimeSpan.Zero, options.RestAfter(TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMilliseconds(300), options.RestAfter(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(TimeSpan.FromSeconds(5), options.RestAfter(TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(8), options.RestAfter(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void An_interval_at_or_past_the_bound_does_not_stretch_and_a_bound_out_of_range_is_refused_by_name()
    {
        var options = new PartitionConsumerOptions { CheckpointInterval = TimeSpan.FromMinutes(5) };

        Assert.Equal(TimeSpan.Zero, options.RestAfter(TimeSpan.FromSeconds(30)));
        Assert.Empty(options.Validate());
        var problem = Assert.Single(new PartitionConsumerOptions { MaxCheckpointInterval = TimeSpan.FromHours(1) }.Validate());
        Assert.Contains("MaxCheckpointInterval", problem, StringComparison.Ordinal);
    }
}
