namespace Integrity.Harness.Market;

/// <summary>
/// Zipf's law over ranks 1..n: rank k weighs 1/k^s, so a few ranks carry much of the activity and a long tail little,
/// as sellers, listings and customers do on a real marketplace. Sampling is a binary search of the cumulative weights.
/// </summary>
public sealed class Zipf
{
    private readonly double[] _cumulative;

    public Zipf(int n, double exponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(exponent);
        _cumulative = new double[n];
        var sum = 0.0;
        for (var k = 0; k < n; k++)
        {
            sum += Math.Pow(k + 1, -exponent);
            _cumulative[k] = sum;
        }
    }

    public int Count => _cumulative.Length;

    /// <summary>The share of all activity that rank <paramref name="index"/> (from 0) carries.</summary>
    public double Share(int index) => (_cumulative[index] - (index == 0 ? 0 : _cumulative[index - 1])) / _cumulative[^1];

    /// <summary>An index from 0, the lowest the most likely.</summary>
    public int Sample(Random rng)
    {
        var i = Array.BinarySearch(_cumulative, rng.NextDouble() * _cumulative[^1]);
        return Math.Min(i < 0 ? ~i : i, _cumulative.Length - 1);
    }
}
