using Integrity.Domain.Events;
using Integrity.Domain.Primitives;
using Integrity.Domain.State;

namespace Integrity.Domain.Helpers;

/// <summary>What a listing needs to know about its category's prices.</summary>
public sealed record CategoryPriceSnapshot(string CategoryId, string Currency, decimal Median, long Count);

/// <summary>
/// Running median price per currency of one category (P², constant memory), the helper state of a category grain.
/// Every listing price observation counts once (by event id); a price change is a new observation, the old one is
/// not removed (P² cannot), which biases the median slightly towards history, acceptable for a far-below test.
/// While a currency has at most <see cref="ExactUpTo"/> prices they are also kept, and its median is the exact sample
/// median: P² is rough on a few dozen prices (a young category with a handful of premium listings reads far above
/// its real median, and an ordinary cheap listing then looks dumped).
/// </summary>
public sealed class CategoryPriceStats
{
    /// <summary>Prices kept per currency for an exact median; P² alone from then on.</summary>
    public const int ExactUpTo = 100;

    public int Version { get; set; } = 1;

    public string CategoryId { get; set; } = "";

    public Dictionary<string, P2Quantile> Medians { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every price observed per currency, while there are at most <see cref="ExactUpTo"/>.</summary>
    public Dictionary<string, List<decimal>> Samples { get; set; } = new(StringComparer.Ordinal);

    public AppliedEventLog Applied { get; set; } = new();

    public static CategoryPriceStats Create(string categoryId) => new() { CategoryId = categoryId };

    /// <param name="owned">The caller holds the only reference and takes the result in its place: changed in place, not copied.</param>
    public static CategoryPriceStats Observe(CategoryPriceStats state, ListingEvent e, bool owned = false)
    {
        if (state.Applied.Check(e.EventId, e.OccurredAt) != ApplyStatus.Applied) return state;
        var next = owned ? state : state.Clone();
        next.Applied.Record(e.EventId, e.OccurredAt);
        if (!next.Medians.TryGetValue(e.Currency, out var median)) next.Medians[e.Currency] = median = new P2Quantile(0.5);
        median.Add((double)e.Price);
        if (!next.Samples.TryGetValue(e.Currency, out var sample)) next.Samples[e.Currency] = sample = [];
        if (median.Count <= ExactUpTo && sample.Count == median.Count - 1) sample.Add(e.Price);
        else next.Samples.Remove(e.Currency);
        return next;
    }

    public CategoryPriceSnapshot? Snapshot(string currency)
    {
        if (!Medians.TryGetValue(currency, out var m) || m.Count == 0) return null;
        var median = Samples.TryGetValue(currency, out var sample) && sample.Count == m.Count ? ExactMedian(sample) : (decimal)m.Estimate;
        return new CategoryPriceSnapshot(CategoryId, currency, Math.Round(median, 2), m.Count);
    }

    private static decimal ExactMedian(List<decimal> prices)
    {
        var sorted = prices.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public CategoryPriceStats Clone() => new()
    {
        Version = Version,
        CategoryId = CategoryId,
        Medians = Medians.ToDictionary(kv => kv.Key, kv => kv.Value.Clone(), StringComparer.Ordinal),
        Samples = Samples.ToDictionary(kv => kv.Key, kv => kv.Value.ToList(), StringComparer.Ordinal),
        Applied = Applied.Clone(),
    };
}
