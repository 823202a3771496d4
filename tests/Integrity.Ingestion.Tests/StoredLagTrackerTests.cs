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
        tracker.Checkpointed(0, 3);   // partition 0 up to row 3 stored: its oldest waiting row is now the one of T0+2
        Assert.Equal(TimeSpan.FromSeconds(9), tracker.Lag(T0.AddSeconds(10)));
        tracker.Checkpointed(1, 1);
        Assert.Equal(TimeSpan.FromSeconds(8), tracker.Lag(T0.AddSeconds(10)));
        tracker.Checkpointed(0, 4);   // row 5 still waits
        Assert.Equal(TimeSpan.FromSeconds(8), tracker.Lag(T0.AddSeconds(10)));
        tracker.Checkpointed(0, 5);
        Assert.Equal(TimeSpan.Zero, tracker.Lag(T0.AddSeconds(10)));
    }

    [Fact]
    public void A_checkpoint_never_moves_back_and_rows_it_already_covers_do_not_count()
    {
        var tracker = new StoredLagTracker(partitions: 1);
        tracker.Watch();
        tracker.Checkpointed(0, 7);
        tracker.Checkpointed(0, 2);   // an older read arriving late
        tracker.Appended(0, 6, T0);   // already covered (e.g. a replayed or slow answer)
        Assert.Equal(TimeSpan.Zero, tracker.Lag(T0.AddSeconds(30)));
        tracker.Appended(0, 8, T0);
        Assert.Equal(TimeSpan.FromSeconds(30), tracker.Lag(T0.AddSeconds(30)));
    }

    [Fact]
    public void Before_it_watches_checkpoints_it_measures_nothing()
    {
        var tracker = new StoredLagTracker(partitions: 1);
        tracker.Appended(0, 1, T0);
        Assert.Equal(TimeSpan.Zero, tracker.Lag(T0.AddMinutes(5)));
    }

    [Fact]
    public void The_expected_delay_is_what_is_pending_over_the_rate_the_engine_has_been_storing_at_while_busy()
    {
        var tracker = new StoredLagTracker(partitions: 1);
        tracker.Watch();
        tracker.Sample(T0);
        Assert.Equal(TimeSpan.Zero, tracker.ExpectedDelay);   // nothing stored yet: rate unknown

        tracker.Appended(0, 1, T0, events: 1_000);
        tracker.Appended(0, 2, T0, events: 1_000);
        tracker.Sample(T0.AddSeconds(1));                     // busy, nothing stored
        tracker.Checkpointed(0, 1);
        tracker.Sample(T0.AddSeconds(2));                     // 1,000 stored over 2 busy seconds
        Assert.Equal(500, tracker.StoringRate);
        Assert.Equal(1_000, tracker.PendingEvents);
        Assert.Equal(TimeSpan.FromSeconds(2), tracker.ExpectedDelay);

        tracker.Checkpointed(0, 2);
        tracker.Sample(T0.AddSeconds(3));                     // 1,000 more in 1 s: 2,000 over 3 busy seconds
        tracker.Sample(T0.AddSeconds(60));                    // idle: does not count
        Assert.Equal(2_000 / 3.0, tracker.StoringRate!.Value, precision: 6);
        tracker.Appended(0, 3, T0.AddSeconds(60), events: 4_000);
        Assert.Equal(TimeSpan.FromSeconds(6), tracker.ExpectedDelay);
    }

    [Fact]
    public void With_no_storing_history_an_engine_behind_refusal_asks_for_one_second()
    {
        var tracker = new StoredLagTracker(partitions: 1);
        tracker.Watch();
        tracker.Sample(T0);
        tracker.Appended(0, 1, T0, events: 5_000);   // pending, but nothing stored yet: no rate, no expected delay

        Assert.Equal(TimeSpan.Zero, tracker.ExpectedDelay);
        Assert.Equal(1, StoredLagTracker.RetryAfterSeconds(tracker.ExpectedDelay, boundSeconds: 5, max: 5));
    }

    [Fact]
    public void An_engine_behind_refusal_asks_for_the_time_until_the_expected_delay_is_back_within_the_bound_rounded_up()
    {
        var tracker = StoringAt1000PerSecond();
        tracker.Appended(0, 2, T0.AddSeconds(1), events: 8_300);

        Assert.Equal(TimeSpan.FromSeconds(8.3), tracker.ExpectedDelay);
        Assert.Equal(4, StoredLagTracker.RetryAfterSeconds(tracker.ExpectedDelay, boundSeconds: 5, max: 5));
        Assert.Equal(1, StoredLagTracker.RetryAfterSeconds(TimeSpan.FromSeconds(2.3), boundSeconds: 5, max: 5)); // closed by the lag alone
    }

    [Fact]
    public void An_engine_behind_refusal_asks_for_at_most_the_configured_wait()
    {
        var tracker = StoringAt1000PerSecond();
        tracker.Appended(0, 2, T0.AddSeconds(1), events: 60_000);

        Assert.Equal(TimeSpan.FromSeconds(60), tracker.ExpectedDelay);
        Assert.Equal(5, StoredLagTracker.RetryAfterSeconds(tracker.ExpectedDelay, boundSeconds: 5, max: 5));
        Assert.Equal(55, StoredLagTracker.RetryAfterSeconds(tracker.ExpectedDelay, boundSeconds: 5, max: 3600));
    }

    /// <summary>A tracker that saw 1,000 events stored over one busy second, with nothing pending.</summary>
    private static StoredLagTracker StoringAt1000PerSecond()
    {
        var tracker = new StoredLagTracker(partitions: 1);
        tracker.Watch();
        tracker.Sample(T0);
        tracker.Appended(0, 1, T0, events: 1_000);
        tracker.Checkpointed(0, 1);
        tracker.Sample(T0.AddSeconds(1));
        Assert.Equal(1_000, tracker.StoringRate);
        Assert.Equal(0, tracker.PendingEvents);
        return tracker;
    }
}
