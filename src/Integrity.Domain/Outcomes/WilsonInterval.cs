namespace Integrity.Domain.Outcomes;

/// <summary>
/// The Wilson score interval of a binomial proportion (Wilson 1927): unlike the normal approximation it stays inside
/// [0, 1] and is honest with few trials or a proportion near 0 or 1, which is what a rule with a handful of analyst
/// verdicts has. Brown, Cai and DasGupta (2001) recommend it for small n.
/// </summary>
public readonly record struct WilsonInterval(double Lower, double Upper)
{
    /// <summary>z of a two-sided 95% interval (the 0.975 quantile of the standard normal).</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The interval of <paramref name="successes"/> out of <paramref name="trials"/>; with no trial, all of [0, 1].</summary>
    public static WilsonInterval Of(int successes, int trials, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(z);
        if (trials == 0) return new WilsonInterval(0, 1);

        double n = trials;
        var p = successes / n;
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // At p = 0 or 1 the bound is exactly 0 or 1; rounding must not leave it a hair inside or outside.
        var lower = successes == 0 ? 0 : Math.Max(0, centre - half);
        var upper = successes == trials ? 1 : Math.Min(1, centre + half);
        return new WilsonInterval(lower, upper);
    }
}
