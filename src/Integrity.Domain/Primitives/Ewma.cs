namespace Integrity.Domain.Primitives;

/// <summary>Exponentially weighted mean and variance of a series (West's incremental form).</summary>
public sealed class Ewma
{
    public double Mean { get; set; }

    public double Variance { get; set; }

    public long Count { get; set; }

    public void Update(double x, double alpha)
    {
        if (Count++ == 0)
        {
            Mean = x;
            Variance = 0;
            return;
        }

        var diff = x - Mean;
        var increment = alpha * diff;
        Mean += increment;
        Variance = (1 - alpha) * (Variance + (diff * increment));
    }

    /// <summary>
    /// How unusual <paramref name="x"/> is against this baseline. The deviation is floored at the Poisson spread of the
    /// mean and at 1, so a quiet series (mean ≈ 0, variance 0) does not turn one extra count into an infinite z-score.
    /// </summary>
    public double ZScore(double x) => (x - Mean) / Math.Sqrt(Math.Max(Math.Max(Variance, Mean), 1.0));
}

/// <summary>A rate baseline: the current window's count against the EWMA of earlier windows of the same length.</summary>
public sealed record RateBaseline(double Current, double Mean, double ZScore, int History);

public static class RateBaselines
{
    /// <summary>
    /// Folds the windows before the current one (oldest first, back to <paramref name="lookback"/> or the first
    /// recorded count, whichever is later) into an EWMA and scores the current window against it. Recomputed from the
    /// buckets rather than kept incrementally, so late events that land in past buckets correct the baseline too.
    /// </summary>
    public static RateBaseline Evaluate(TimeBuckets counts, DateTimeOffset now, TimeSpan window, TimeSpan lookback, double alpha)
    {
        var current = counts.InWindow(now, window);
        var ewma = new Ewma();
        var history = 0;
        if (counts.EarliestStart is { } earliest)
        {
            var windowStart = now - window;
            var start = earliest > now - lookback ? earliest : now - lookback;
            var steps = (int)Math.Floor((windowStart - start) / window);
            for (var k = steps; k >= 1; k--)
            {
                var end = windowStart - (window * (k - 1));
                ewma.Update(counts.Sum(end - window + counts.Width, end - TimeSpan.FromTicks(1)), alpha);
                history++;
            }
        }

        return new RateBaseline(current, ewma.Mean, ewma.ZScore(current), history);
    }
}
