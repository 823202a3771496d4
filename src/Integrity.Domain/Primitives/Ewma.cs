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
    /// One pass over the buckets: this runs on every event of a busy listing.
    /// </summary>
    /// <param name="exactCurrent">The current window's count when the caller knows it exactly (buckets round the window out).</param>
    public static RateBaseline Evaluate(TimeBuckets counts, DateTimeOffset now, TimeSpan window, TimeSpan lookback, double alpha, double? exactCurrent = null)
    {
        var current = exactCurrent ?? counts.InWindow(now, window);
        var ewma = new Ewma();
        if (counts.EarliestStart is not { } earliest) return new RateBaseline(current, 0, ewma.ZScore(current), 0);

        // Windows before the current one, newest first: slot j covers [windowStart - (j+1)·window, windowStart - j·window).
        var windowStart = counts.BucketStart(now - window + counts.Width);
        var historyStart = earliest > now - lookback ? counts.BucketStart(earliest) : now - lookback;
        var steps = Math.Max(0, (int)Math.Ceiling((windowStart - historyStart) / window));
        // On the stack up to a few thousand windows (this runs on every event of a busy listing; it was a quarter of the bytes a review allocated).
        Span<double> sums = steps <= 4096 ? stackalloc double[steps] : new double[steps];
        // Buckets before the oldest slot would land past the last one: start the pass at the oldest slot.
        var buckets = counts.Buckets;
        for (var i = counts.FirstAtOrAfter(windowStart - (window * steps)); i < buckets.Count && buckets[i].Start < windowStart; i++)
        {
            var b = buckets[i];
            var slot = (int)Math.Floor((windowStart - b.Start - TimeSpan.FromTicks(1)) / window);
            if (slot < steps) sums[slot] += b.Count;
        }

        for (var j = steps - 1; j >= 0; j--) ewma.Update(sums[j], alpha);
        return new RateBaseline(current, ewma.Mean, ewma.ZScore(current), steps);
    }
}
