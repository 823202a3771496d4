namespace Integrity.Grains.Decisions;

/// <summary>
/// How many of the records handed to a sink are durable, counted in the order they were handed in, and waits for a
/// count to be reached: one bookkeeping for the audit's sink (a checkpoint waits for everything handed in) and the
/// shadow sink (an entity's state write waits for its own last record).
/// </summary>
internal sealed class WriteProgress
{
    private readonly Lock _lock = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];
    private long _written;

    /// <summary>Whether the first <paramref name="target"/> records are durable.</summary>
    public bool Reached(long target)
    {
        lock (_lock)
        {
            return _written >= target;
        }
    }

    /// <summary>Completes once the first <paramref name="target"/> records are durable.</summary>
    public Task WaitAsync(long target, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_written >= target)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary><paramref name="count"/> more records are durable.</summary>
    public void Advance(int count)
    {
        lock (_lock)
        {
            _written += count;
            _waiters.RemoveAll(w => w.Target <= _written && w.Done.TrySetResult());
        }
    }
}
