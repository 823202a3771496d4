namespace Integrity.Domain.Webhooks;

/// <summary>
/// When a failed delivery is tried again: exponential backoff from <c>initial</c>, doubling per attempt up to
/// <c>max</c>, with "equal jitter" (half the delay fixed, half random) so receivers coming back are not met by every
/// sender at once. The schedule is durable (kept in the outbox row), so it is computed here rather than by an
/// in-memory retry pipeline that a restart would forget.
/// </summary>
public static class WebhookBackoff
{
    /// <param name="attempt">Attempts made so far (1 after the first failure).</param>
    /// <param name="jitter">A random number in [0, 1).</param>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponent = Math.Min(attempt - 1, 30);
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling / 2 + ceiling / 2 * Math.Clamp(jitter, 0, 1));
    }

    /// <summary>What a failed attempt leads to: another try at <c>Next</c>, or failed for good once the retry period is over.</summary>
    public static DateTimeOffset? NextAttempt(DateTimeOffset enqueuedAt, DateTimeOffset failedAt, int attempts, TimeSpan retryPeriod, TimeSpan initial, TimeSpan max, double jitter)
    {
        if (failedAt - enqueuedAt >= retryPeriod)
        {
            return null;
        }

        return failedAt + Delay(attempts, initial, max, jitter);
    }
}
