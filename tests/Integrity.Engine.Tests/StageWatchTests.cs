using Integrity.Grains.Consumers;
using Microsoft.Extensions.Time.Testing;

namespace Integrity.Engine.Tests;

/// <summary>
/// A consumer's stall report: a stage is reported only while it is under way, so that work which ended (however it
/// ended: a replay's empty read, an exception) never shows as "still under way".
/// </summary>
public sealed class StageWatchTests
{
    private static readonly TimeSpan After = TimeSpan.FromSeconds(15);

    [Fact]
    public void A_stage_under_way_past_the_bound_is_reported_with_what_it_waits_on()
    {
        var clock = new FakeTimeProvider();
        var stages = new StageWatch(clock);

        _ = stages.Enter(ConsumerLane.Checkpoint, "storing the checkpoint at 7");
        clock.Advance(TimeSpan.FromSeconds(16));

        var overdue = Assert.Single(stages.Overdue(After));
        Assert.Equal(ConsumerLane.Checkpoint, overdue.Lane);
        Assert.Equal("storing the checkpoint at 7", overdue.What);
        Assert.Equal(TimeSpan.FromSeconds(16), overdue.For);
    }

    [Fact]
    public async Task A_stage_that_ended_is_not_reported_even_when_its_work_threw()
    {
        var clock = new FakeTimeProvider();
        var stages = new StageWatch(clock);

        // A replay's journal read that comes back empty, then one that throws.
        using (stages.Enter(ConsumerLane.Dispatch, "reading rows after 41 from the journal"))
        {
            await Task.Yield();
        }

        await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            using var reading = stages.Enter(ConsumerLane.Dispatch, "reading rows after 42 from the journal");
            await Task.Yield();
            throw new TimeoutException();
        });
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(stages.Overdue(After));
    }

    [Fact]
    public void An_ended_stage_does_not_end_the_stage_that_took_its_lane_over()
    {
        var clock = new FakeTimeProvider();
        var stages = new StageWatch(clock);

        var writing = stages.Enter(ConsumerLane.Checkpoint, "writing 3 grains' state for the checkpoint at 9");
        _ = stages.Enter(ConsumerLane.Checkpoint, "waiting for the audit of decisions before the checkpoint at 9");
        writing.Dispose();
        clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal("waiting for the audit of decisions before the checkpoint at 9", Assert.Single(stages.Overdue(After)).What);
    }

    [Fact]
    public void Stalls_are_reported_at_most_once_per_bound()
    {
        var clock = new FakeTimeProvider();
        var stages = new StageWatch(clock);

        _ = stages.Enter(ConsumerLane.Dispatch, "dispatching row 5 (50 events)");
        clock.Advance(TimeSpan.FromSeconds(16));
        Assert.Single(stages.Overdue(After));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(stages.Overdue(After));
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(TimeSpan.FromSeconds(32), Assert.Single(stages.Overdue(After)).For);
    }
}
