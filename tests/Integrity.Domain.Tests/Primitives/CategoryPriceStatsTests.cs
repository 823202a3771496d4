using Integrity.Domain.Helpers;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Primitives;

public sealed class CategoryPriceStatsTests
{
    /// <summary>A young watch category: cheap straps and watches, and a few premium brand listings at 3–4× the rest.</summary>
    private static readonly decimal[] YoungCategory =
        [66m, 423.64m, 66m, 141.83m, 302.47m, 474.34m, 430.35m, 116.48m, 129.7m, 254.14m, 66m, 111.79m, 160.08m, 360m, 231.3m, 474.66m, 483.41m, 196.95m, 134.4m];

    [Fact]
    public void A_young_category_median_is_the_exact_sample_median_not_a_rough_streaming_estimate()
    {
        var b = new ScenarioBuilder();
        var stats = CategoryPriceStats.Create("watches");
        for (var i = 0; i < YoungCategory.Length; i++)
        {
            stats = CategoryPriceStats.Observe(stats, b.Listing($"L-{i}", $"S-{i}", category: "watches", price: YoungCategory[i]));
        }

        var snapshot = stats.Snapshot("EUR")!;
        Assert.Equal(YoungCategory.Length, snapshot.Count);
        Assert.Equal(YoungCategory.Order().ElementAt(YoungCategory.Length / 2), snapshot.Median);

        // An observation seen again (a redelivered event) changes nothing.
        Assert.Same(stats, CategoryPriceStats.Observe(stats, (Integrity.Domain.Events.ListingEvent)b.Events[0]));
    }

    [Fact]
    public void Past_the_exact_window_the_median_streams_and_the_kept_prices_are_dropped()
    {
        var b = new ScenarioBuilder();
        var stats = CategoryPriceStats.Create("mugs");
        var random = new Random(5);
        for (var i = 0; i < CategoryPriceStats.ExactUpTo + 200; i++)
        {
            stats = CategoryPriceStats.Observe(stats, b.Listing($"L-{i}", $"S-{i}", category: "mugs", price: Math.Round(10m + (decimal)(random.NextDouble() * 10), 2)));
            if (i + 1 == CategoryPriceStats.ExactUpTo) Assert.Equal(CategoryPriceStats.ExactUpTo, stats.Samples["EUR"].Count);
        }

        Assert.False(stats.Samples.ContainsKey("EUR"));
        var snapshot = stats.Snapshot("EUR")!;
        Assert.Equal(CategoryPriceStats.ExactUpTo + 200, snapshot.Count);
        Assert.InRange(snapshot.Median, 14m, 16m);
    }
}
