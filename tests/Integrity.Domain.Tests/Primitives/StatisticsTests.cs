using Integrity.Domain.Primitives;

namespace Integrity.Domain.Tests.Primitives;

public sealed class StatisticsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Time_buckets_count_late_events_in_their_own_bucket_not_now()
    {
        var counts = new TimeBuckets(TimeSpan.FromHours(1), 48);
        counts.Add(T0 + TimeSpan.FromHours(10));
        counts.Add(T0 + TimeSpan.FromHours(2));

        Assert.Equal(1, counts.InWindow(T0 + TimeSpan.FromHours(10.5), TimeSpan.FromHours(1)));
        Assert.Equal(2, counts.Sum(T0, T0 + TimeSpan.FromHours(11)));
        Assert.Equal([T0 + TimeSpan.FromHours(2), T0 + TimeSpan.FromHours(10)], counts.Buckets.Select(b => b.Start));
    }

    [Fact]
    public void Time_buckets_keep_at_most_their_bound_dropping_the_oldest()
    {
        var counts = new TimeBuckets(TimeSpan.FromHours(1), 24);
        for (var h = 0; h < 100; h++) counts.Add(T0 + TimeSpan.FromHours(h));

        Assert.Equal(24, counts.Buckets.Count);
        Assert.Equal(T0 + TimeSpan.FromHours(76), counts.EarliestStart);
    }

    [Fact]
    public void Ewma_tracks_a_steady_series_and_scores_a_spike_high()
    {
        var ewma = new Ewma();
        for (var i = 0; i < 200; i++) ewma.Update(i % 2 == 0 ? 1 : 2, 0.1);

        Assert.InRange(ewma.Mean, 1.3, 1.7);
        Assert.True(ewma.ZScore(40) > 20);
        Assert.True(ewma.ZScore(2) < 1);
    }

    [Fact]
    public void Rate_baseline_compares_the_current_window_with_earlier_ones()
    {
        var counts = new TimeBuckets(TimeSpan.FromMinutes(10), 2000);
        for (var h = 0; h < 48; h++) counts.Add(T0 + TimeSpan.FromHours(h) + TimeSpan.FromMinutes(5));
        for (var i = 0; i < 30; i++) counts.Add(T0 + TimeSpan.FromHours(48) + TimeSpan.FromMinutes(i));

        var b = RateBaselines.Evaluate(counts, T0 + TimeSpan.FromHours(48.6), TimeSpan.FromHours(1), TimeSpan.FromDays(7), 0.1);

        Assert.Equal(30, b.Current);
        Assert.InRange(b.Mean, 0.8, 1.2);
        Assert.True(b.ZScore > 20);
        Assert.Equal(48, b.History);
    }

    [Fact]
    public void P2_median_estimate_is_close_to_the_true_median()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 5000).Select(_ => 50 + (random.NextDouble() * 100) + (random.NextDouble() * 20)).ToList();
        var p2 = new P2Quantile(0.5);
        foreach (var v in values) p2.Add(v);

        var median = values.Order().ElementAt(values.Count / 2);
        Assert.InRange(p2.Estimate, median * 0.97, median * 1.03);
        Assert.Equal(5000, p2.Count);
    }

    [Fact]
    public void P2_is_exact_for_the_first_observations()
    {
        var p2 = new P2Quantile(0.5);
        foreach (var v in new[] { 9.0, 1.0, 5.0 }) p2.Add(v);

        Assert.Equal(5.0, p2.Estimate);
    }
}
