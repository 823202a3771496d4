namespace Integrity.Domain.Primitives;

/// <summary>
/// Streaming quantile estimate in constant memory (Jain and Chlamtac's P² algorithm): five markers whose heights
/// track the min, p/2, p, (1+p)/2 and max quantiles. Exact for the first five observations. Good to a few percent
/// on price-like distributions, which is all a "far below the median" test needs.
/// </summary>
public sealed class P2Quantile
{
    public P2Quantile()
    {
    }

    public P2Quantile(double quantile)
    {
        if (quantile is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(quantile));
        Quantile = quantile;
    }

    public double Quantile { get; set; } = 0.5;

    public long Count { get; set; }

    /// <summary>Marker heights.</summary>
    public double[] Heights { get; set; } = new double[5];

    /// <summary>Marker positions (1-based ranks).</summary>
    public double[] Positions { get; set; } = [1, 2, 3, 4, 5];

    public double Estimate
    {
        get
        {
            if (Count == 0) return double.NaN;
            if (Count >= 5) return Heights[2];
            var sorted = Heights.Take((int)Count).Order().ToArray();
            return sorted[(int)Math.Round((sorted.Length - 1) * Quantile)];
        }
    }

    public void Add(double x)
    {
        if (Count < 5)
        {
            Heights[Count++] = x;
            if (Count == 5) Array.Sort(Heights);
            return;
        }

        int k;
        if (x < Heights[0])
        {
            Heights[0] = x;
            k = 0;
        }
        else if (x >= Heights[4])
        {
            Heights[4] = Math.Max(Heights[4], x);
            k = 3;
        }
        else
        {
            k = 0;
            while (x >= Heights[k + 1]) k++;
        }

        for (var i = k + 1; i < 5; i++) Positions[i]++;
        Count++;

        var p = Quantile;
        double[] desired = [1, 1 + ((Count - 1) * p / 2), 1 + ((Count - 1) * p), 1 + ((Count - 1) * (1 + p) / 2), Count];
        for (var i = 1; i <= 3; i++)
        {
            var d = desired[i] - Positions[i];
            if ((d >= 1 && Positions[i + 1] - Positions[i] > 1) || (d <= -1 && Positions[i - 1] - Positions[i] < -1))
            {
                var s = Math.Sign(d);
                var candidate = Parabolic(i, s);
                Heights[i] = Heights[i - 1] < candidate && candidate < Heights[i + 1] ? candidate : Linear(i, s);
                Positions[i] += s;
            }
        }
    }

    public P2Quantile Clone() => new(Quantile) { Count = Count, Heights = [.. Heights], Positions = [.. Positions] };

    private double Parabolic(int i, int s)
    {
        var (n, q) = (Positions, Heights);
        return q[i] + (s / (n[i + 1] - n[i - 1]) *
            ((((n[i] - n[i - 1] + s) * (q[i + 1] - q[i])) / (n[i + 1] - n[i])) + (((n[i + 1] - n[i] - s) * (q[i] - q[i - 1])) / (n[i] - n[i - 1]))));
    }

    private double Linear(int i, int s) => Heights[i] + (s * (Heights[i + s] - Heights[i]) / (Positions[i + s] - Positions[i]));
}
