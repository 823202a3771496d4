using Integrity.Host.Ingest;

namespace Integrity.Ingestion.Tests;

public sealed class StoredLagTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_lag_is_the_age_of_the_oldest_acknowledged_row_no_checkpoint_covers()
    {
        var tracker = new StoredLagTracker(partitions: 2);
        tracker.Watch();
        tracker.Appended(0, 3, T0);
        tracker.Appended(1, 1, T0.AddSeconds(1));
        tracker.Appended(0, 5, T0.AddSeconds(2));

        Assert.Equal(TimeSpan.FromSeconds(10), tracker.Lag(T0.AddSeconds(10)));
        tracker.Checkpointed(0, 3, T0.AddSeconds(10));   // partition 0 up to row 3 stored: its oldest waiting row is now the one of T0+2
        Assert.Equal(TimeSpan.FromSeconds(9), tracker.Lag(T0.AddSeconds(10)));
        tracker.Checkpointed(1, 1, T0.AddSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(8), tracker.Lag(T0.AddSeconds(10)));
        tracker.Checkpointed(0, 4, T0.AddSeconds(10));   // row 5 still waits
        Assert.Equal(TimeSpan.FromSeconds(8), tracker.Lag(T0.AddSeconds(10)));
        tracker.Checkpointed(0, 5, T0.AddSeconds(10));
        Assert.Equal(TimeSpan.Zero, tracker.Lag(T0.AddSeconds(10)));
    }

    [Fact]
    public void A_checkpoint_never_moves_back_and_rows_it_already_covers_do_not_count()
    {
        var tracker = new StoredLagTracker(partitions: 1);
        tracker.Watch();
        tracker.Checkpointed(0, 7, T0.AddSeconds(10));
        tracker.Checkpointed(0, 2, T0.AddSeconds(10));   // an older read arriving late
        tracker.Appended(0, 6, T0);   // already covered (e.g. a replayed or slow answer)
        Assert.Equal(TimeSpan.Zero, tracker.Lag(T0.AddSeconds(30)));
        tracker.Appended(0, 8, T0);
        Assert.Equal(TimeSpan.FromSeconds(30), tracker.Lag(T0.AddSeconds(30)));
    }

    [Fact]
    public void A_row_another_silo_acknowledged_counts_until_a_checkpoint_covers_it()
    {
        var tracker = new StoredLagTracker(partitions: 2);
        tracker.Watch();
        tracker.Checkpointed(1, 4, T0);
        tracker.Waiting(1, 5, T0.AddSeconds(1));          // the first row past partition 1's checkpoint, appended elsewhere
        tracker.Appended(0, 1, T0.AddSeconds(3));         // this silo's own
        Assert.Equal(TimeSpan.FromSeconds(9), tracker.Lag(T0.AddSeconds(10)));
        Assert.NotNull(tracker.Refuse(T0.AddSeconds(10), boundSeconds: 5));

        tracker.Checkpointed(1, 4, T0.AddSeconds(10));    // the same checkpoint read again: still waiting
        Assert.Equal(TimeSpan.FromSeconds(9), tracker.Lag(T0.AddSeconds(10)));
        tracker.Checkpointed(1, 5, T0.AddSeconds(10));    // covered: only this silo's own row is left
        Assert.Equal(TimeSpan.FromSeconds(7), tracker.Lag(T0.AddSeconds(10)));
        tracker.Waiting(1, 5, T0);                        // a late report of a row already covered does not count
        Assert.Equal(TimeSpan.FromSeconds(7), tracker.Lag(T0.AddSeconds(10)));
        tracker.Checkpointed(0, 1, T0.AddSeconds(10));
        Assert.Null(tracker.Refuse(T0.AddSeconds(10), boundSeconds: 5));
    }

    [Fact]
    public void Before_it_watches_checkpoints_it_measures_nothing()
    {
        var tracker = new StoredLagTracker(partitions: 1);
        tracker.Appended(0, 1, T0);
        Assert.Equal(TimeSpan.Zero, tracker.Lag(T0.AddMinutes(5)));
    }

    [Fact]
    public void A_cycle_is_how_long_the_oldest_covered_row_waited_counted_at_most_from_the_previous_advance()
    {
        var tracker = new StoredLagTracker(partitions: 1);
        tracker.Watch();
        tracker.Appended(0, 1, T0);
        tracker.Appended(0, 2, T0.AddSeconds(0.5));
        tracker.Checkpointed(0, 1, T0.AddSeconds(1));     // a partition's first advance also carries the start: not counted
        Assert.Null(tracker.Cycle);

        tracker.Checkpointed(0, 2, T0.AddSeconds(3));     // row 2 waited through the advance at T0+1: a full 2 s cycle
        Assert.Equal(TimeSpan.FromSeconds(2), tracker.Cycle);

        tracker.Appended(0, 3, T0.AddSeconds(4));
        tracker.Checkpointed(0, 3, T0.AddSeconds(5));     // row 3 came after that advance and waited 1 s: half way to it
        Assert.Equal(TimeSpan.FromSeconds(1.5), tracker.Cycle);

        tracker.Appended(0, 4, T0.AddSeconds(5.5));
        tracker.Appended(0, 5, T0.AddSeconds(6));
        tracker.Checkpointed(0, 4, T0.AddSeconds(7));     // 1.5 s
        tracker.Checkpointed(0, 5, T0.AddSeconds(11));    // row 5 waited through T0+7: a 4 s cycle, 2.75 s on average
        Assert.Equal(2.75, tracker.Cycle!.Value.TotalSeconds, precision: 6);

        tracker.Appended(0, 6, T0.AddSeconds(100));
        tracker.Checkpointed(0, 6, T0.AddSeconds(100.75)); // a minute idle before row 6 does not count: it waited 0.75 s
        Assert.Equal(1.75, tracker.Cycle!.Value.TotalSeconds, precision: 6);
        Assert.Equal(0, tracker.PendingEvents);
    }

    [Fact]
    public void Ingest_is_refused_once_the_oldest_waiting_row_plus_a_cycle_passes_the_bound_and_reopens_with_the_next_advance()
    {
        var tracker = TrackerWithTwoSecondCycle(out var now);
        tracker.Appended(0, 10, now, events: 1_000);

        Assert.Null(tracker.Refuse(now.AddSeconds(2.9), boundSeconds: 5));
        var refused = tracker.Refuse(now.AddSeconds(3.1), boundSeconds: 5);
        Assert.NotNull(refused);
        Assert.Equal(TimeSpan.FromSeconds(3.1), refused.Lag);
        Assert.Equal(TimeSpan.FromSeconds(2), refused.Cycle);

        tracker.Checkpointed(0, 10, now.AddSeconds(3.5));
        Assert.Null(tracker.Refuse(now.AddSeconds(3.5), boundSeconds: 5));
    }

    [Fact]
    public void A_cycle_longer_than_the_bound_still_admits_a_batch_whenever_nothing_waits()
    {
        var tracker = new StoredLagTracker(partitions: 1);
        tracker.Watch();
        tracker.Appended(0, 1, T0);
        tracker.Appended(0, 2, T0.AddSeconds(1));
        tracker.Checkpointed(0, 1, T0.AddSeconds(2));
        tracker.Checkpointed(0, 2, T0.AddSeconds(10));    // an 8 s cycle against a 1 s bound
        Assert.Equal(TimeSpan.FromSeconds(8), tracker.Cycle);

        Assert.Null(tracker.Refuse(T0.AddSeconds(10), boundSeconds: 1));
        tracker.Appended(0, 3, T0.AddSeconds(10));
        var refused = tracker.Refuse(T0.AddSeconds(10.1), boundSeconds: 1);
        Assert.NotNull(refused);
        Assert.Equal(TimeSpan.FromSeconds(8), refused.Cycle);
    }

    [Fact]
    public void With_no_cycle_known_only_the_lag_itself_past_the_bound_refuses()
    {
        var tracker = new StoredLagTracker(partitions: 1);
        tracker.Watch();
        tracker.Appended(0, 1, T0);

        Assert.Null(tracker.Cycle);
        Assert.Null(tracker.Refuse(T0.AddSeconds(5), boundSeconds: 5));
        Assert.Equal(TimeSpan.Zero, tracker.Refuse(T0.AddSeconds(5.1), boundSeconds: 5)!.Cycle);
    }

    /// <summary>A tracker that measured one 2 s cycle on partition 0 and has nothing waiting; <paramref name="now"/> is its last advance.</summary>
    private static StoredLagTracker TrackerWithTwoSecondCycle(out DateTimeOffset now)
    {
        var tracker = new StoredLagTracker(partitions: 1);
        tracker.Watch();
        tracker.Appended(0, 1, T0);
        tracker.Appended(0, 2, T0.AddSeconds(0.5));
        tracker.Checkpointed(0, 1, T0.AddSeconds(1));
        tracker.Checkpointed(0, 2, T0.AddSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(2), tracker.Cycle);
        now = T0.AddSeconds(3);
        return tracker;
    }
}
