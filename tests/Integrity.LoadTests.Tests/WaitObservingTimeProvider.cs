using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Integrity.LoadTests.Tests;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells the test when code under test starts waiting on it (creates a timer,
/// as <c>Task.Delay(…, timeProvider, …)</c> does), so the test advances the clock only while something waits on it
/// instead of racing the code with a clock that moves on its own schedule.
/// </summary>
public sealed class WaitObservingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<CreatedTimer> _created = Channel.CreateUnbounded<CreatedTimer>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // The timer is registered (and will fire on Advance) before the test hears of it.
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(new CreatedTimer(dueTime, period));
        return timer;
    }

    /// <summary>
    /// The next timer created, or null once <paramref name="work"/> has completed without creating another.
    /// Throws <see cref="TimeoutException"/> when neither happens within <paramref name="timeout"/>.
    /// </summary>
    public async Task<CreatedTimer?> NextTimerOrCompletionAsync(Task work, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var next = _created.Reader.WaitToReadAsync(cancel.Token).AsTask(); // cancelled (not thrown) on timeout
        var first = await Task.WhenAny(next, work);
        if (_created.Reader.TryRead(out var timer)) return timer;
        if (first == work) return null;
        throw new TimeoutException($"Nothing started waiting on the clock within {timeout.TotalSeconds:0} s and the work did not complete.");
    }

    public readonly record struct CreatedTimer(TimeSpan DueTime, TimeSpan Period);
}
