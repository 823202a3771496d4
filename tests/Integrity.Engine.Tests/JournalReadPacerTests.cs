using Integrity.Contracts.Services;
using Microsoft.Extensions.Time.Testing;

namespace Integrity.Engine.Tests;

public sealed class JournalReadPacerTests
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_reader_reads_every_tick_while_rows_come_and_rests_after_empty_reads_in_a_row()
    {
        var time = new FakeTimeProvider();
        var pacer = new JournalReadPacer(time, IdlePoll);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(pacer.ShouldRead());
            pacer.Read(foundRows: true);
        }

        for (var i = 0; i < JournalReadPacer.EmptyReadsBeforeIdle; i++)
        {
            Assert.False(pacer.Idle);
            Assert.True(pacer.ShouldRead());
            pacer.Read(foundRows: false);
        }

        Assert.True(pacer.Idle);
        Assert.False(pacer.ShouldRead());
        time.Advance(IdlePoll - TimeSpan.FromMilliseconds(1));
        Assert.False(pacer.ShouldRead());
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(pacer.ShouldRead());
        pacer.Read(foundRows: false);
        Assert.False(pacer.ShouldRead());
    }

    [Fact]
    public void A_wake_makes_a_resting_reader_read_at_once_and_rows_make_it_active_again()
    {
        var time = new FakeTimeProvider();
        var pacer = new JournalReadPacer(time, IdlePoll);
        for (var i = 0; i < JournalReadPacer.EmptyReadsBeforeIdle; i++)
        {
            pacer.Read(foundRows: false);
        }

        Assert.False(pacer.ShouldRead());
        pacer.Wake();
        Assert.True(pacer.ShouldRead());
        Assert.False(pacer.ShouldRead());
        pacer.Read(foundRows: true);
        Assert.False(pacer.Idle);
        Assert.True(pacer.ShouldRead());
    }

    [Fact]
    public void A_wake_that_found_nothing_leaves_the_reader_resting()
    {
        var time = new FakeTimeProvider();
        var pacer = new JournalReadPacer(time, IdlePoll);
        for (var i = 0; i < JournalReadPacer.EmptyReadsBeforeIdle; i++)
        {
            pacer.Read(foundRows: false);
        }

        pacer.Wake();
        Assert.True(pacer.ShouldRead());
        pacer.Read(foundRows: false);
        Assert.True(pacer.Idle);
        Assert.False(pacer.ShouldRead());
    }

    [Fact]
    public void Signals_wake_the_partitions_reader_count_appends_and_forward_only_this_silos_own()
    {
        var time = new FakeTimeProvider();
        var signals = new JournalWakeSignals();
        var reader = new JournalReadPacer(time, IdlePoll);
        var other = new JournalReadPacer(time, IdlePoll);
        signals.Register(3, reader);
        signals.Register(4, other);
        for (var i = 0; i < JournalReadPacer.EmptyReadsBeforeIdle; i++)
        {
            reader.Read(foundRows: false);
            other.Read(foundRows: false);
        }

        Assert.Equal([3, 4], signals.IdleReaders());
        var forwarded = new List<int>();
        signals.Forward += forwarded.Add;

        signals.Appended(3);
        signals.AppendedElsewhere(5);

        Assert.Equal([3], forwarded);
        Assert.True(reader.ShouldRead());
        Assert.False(other.ShouldRead());
        Assert.Equal(1, signals.Appends(3));
        Assert.Equal(1, signals.Appends(5));
        Assert.Equal(0, signals.Appends(4));

        signals.Unregister(3, reader);
        Assert.Equal([4], signals.IdleReaders());
    }

    [Fact]
    public async Task A_resting_readers_wait_ends_when_an_append_wakes_it()
    {
        var time = new FakeTimeProvider();
        var pacer = Resting(time);

        var waiting = pacer.WaitAsync(TimeSpan.FromHours(1));
        Assert.False(waiting.IsCompleted);
        pacer.Wake();

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(pacer.ShouldRead());
    }

    [Fact]
    public async Task A_resting_readers_wait_ends_when_its_idle_read_is_due_or_at_the_limit_given()
    {
        var time = new FakeTimeProvider();
        var pacer = Resting(time);

        var waiting = pacer.WaitAsync(TimeSpan.FromHours(1));
        time.Advance(IdlePoll - TimeSpan.FromMilliseconds(1));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(pacer.ShouldRead());

        pacer.Read(foundRows: false);
        var limited = pacer.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.False(limited.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await limited.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(pacer.ShouldRead());
    }

    [Fact]
    public void An_active_or_woken_reader_does_not_wait()
    {
        var time = new FakeTimeProvider();
        var active = new JournalReadPacer(time, IdlePoll);
        Assert.True(active.WaitAsync(TimeSpan.FromHours(1)).IsCompleted);

        var woken = Resting(time);
        woken.Wake();
        Assert.True(woken.WaitAsync(TimeSpan.FromHours(1)).IsCompleted);
    }

    [Fact]
    public async Task A_stopping_silo_ends_its_resting_readers_waits_at_once_without_a_read()
    {
        var time = new FakeTimeProvider();
        var signals = new JournalWakeSignals();
        var resting = Resting(time);
        signals.Register(0, resting);
        var waiting = resting.WaitAsync(TimeSpan.FromHours(1));
        Assert.False(waiting.IsCompleted);

        signals.Stop();

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(resting.ShouldRead());
        Assert.True(resting.WaitAsync(TimeSpan.FromHours(1)).IsCompleted);

        // A reader that starts while the silo stops does not wait either.
        var late = Resting(time);
        signals.Register(1, late);
        Assert.True(late.WaitAsync(TimeSpan.FromHours(1)).IsCompleted);
    }

    private static JournalReadPacer Resting(FakeTimeProvider time)
    {
        var pacer = new JournalReadPacer(time, IdlePoll);
        for (var i = 0; i < JournalReadPacer.EmptyReadsBeforeIdle; i++)
        {
            pacer.Read(foundRows: false);
        }

        Assert.True(pacer.Idle);
        return pacer;
    }
}
