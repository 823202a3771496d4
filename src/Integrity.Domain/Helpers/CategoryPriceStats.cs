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
/// </summary>
public sealed class CategoryPriceStats
{
    public int Version { get; set; } = 1;

    public string CategoryId { get; set; } = "";

    public Dictionary<string, P2Quantile> Medians { get; set; } = new(StringComparer.Ordinal);

    public AppliedEventLog Applied { get; set; } = new();

    public static CategoryPriceStats Create(string categoryId) => new() { CategoryId = categoryId };

    public static CategoryPriceStats Observe(CategoryPriceStats state, ListingEvent e)
    {
        if (state.Applied.Check(e.EventId, e.OccurredAt) != ApplyStatus.Applied) return state;
        var next = state.Clone();
        next.Applied.Record(e.EventId, e.OccurredAt);
        if (!next.Medians.TryGetValue(e.Currency, out var median)) next.Medians[e.Currency] = median = new P2Quantile(0.5);
        median.Add((double)e.Price);
        return next;
    }

    public CategoryPriceSnapshot? Snapshot(string currency) =>
        Medians.TryGetValue(currency, out var m) && m.Count > 0
            ? new CategoryPriceSnapshot(CategoryId, currency, Math.Round((decimal)m.Estimate, 2), m.Count)
            : null;

    public CategoryPriceStats Clone() => new()
    {
        Version = Version,
        CategoryId = CategoryId,
        Medians = Medians.ToDictionary(kv => kv.Key, kv => kv.Value.Clone(), StringComparer.Ordinal),
        Applied = Applied.Clone(),
    };
}
