using Integrity.Domain.Events;
using Integrity.Domain.State;
using Integrity.Domain.Text;

namespace Integrity.Domain.Helpers;

/// <summary>
/// A brand as its owner registered it: the helper state a brand grain keeps and hands to listings as context.
/// Keywords are stored folded (lowercase, no accents) so matching is a plain word search.
/// </summary>
public sealed class BrandProfile
{
    public int Version { get; set; } = 1;

    public string BrandId { get; set; } = "";

    public string Name { get; set; } = "";

    public List<string> Keywords { get; set; } = [];

    public decimal? ReferencePrice { get; set; }

    public Dictionary<string, decimal> ReferencePrices { get; set; } = new(StringComparer.Ordinal);

    public string Currency { get; set; } = "";

    public List<string> AuthorizedSellerIds { get; set; } = [];

    public List<string> OfficialStoreSellerIds { get; set; } = [];

    public DateTimeOffset? RegisteredAt { get; set; }

    public AppliedEventLog Applied { get; set; } = new();

    public static BrandProfile Create(string brandId) => new() { BrandId = brandId };

    /// <summary>A registration replaces the profile unless an newer one is already in effect (events may arrive out of order).</summary>
    public static BrandProfile Apply(BrandProfile state, BrandRegistered e)
    {
        if (state.Applied.Check(e.EventId, e.OccurredAt) != ApplyStatus.Applied) return state;
        var next = state.Clone();
        next.Applied.Record(e.EventId, e.OccurredAt);
        if (next.RegisteredAt is { } at && at > e.OccurredAt) return next;

        next.BrandId = e.BrandId;
        next.Name = e.Name;
        next.Keywords = e.Keywords.Append(e.Name).Select(TextFolding.Fold).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        next.ReferencePrice = e.ReferencePrice;
        next.ReferencePrices = e.ReferencePrices is null ? new(StringComparer.Ordinal) : new(e.ReferencePrices, StringComparer.Ordinal);
        next.Currency = e.Currency;
        next.AuthorizedSellerIds = [.. e.AuthorizedSellerIds];
        next.OfficialStoreSellerIds = [.. e.OfficialStoreSellerIds];
        next.RegisteredAt = e.OccurredAt;
        return next;
    }

    public bool MaySell(string sellerId) => AuthorizedSellerIds.Contains(sellerId) || OfficialStoreSellerIds.Contains(sellerId);

    public bool IsOfficialStore(string sellerId) => OfficialStoreSellerIds.Contains(sellerId);

    /// <summary>The category's reference price, else the brand's single one; null when not comparable (other currency).</summary>
    public decimal? ReferencePriceFor(string categoryId, string currency)
    {
        if (!string.Equals(currency, Currency, StringComparison.Ordinal)) return null;
        return ReferencePrices.TryGetValue(categoryId, out var price) ? price : ReferencePrice;
    }

    /// <summary>The first keyword found as whole words in the (unfolded) texts, or null.</summary>
    public string? FindKeyword(params string[] texts)
    {
        var folded = " " + TextFolding.Fold(string.Join(" ", texts)) + " ";
        return Keywords.FirstOrDefault(k => folded.Contains(" " + k + " ", StringComparison.Ordinal));
    }

    public BrandProfile Clone() => new()
    {
        Version = Version,
        BrandId = BrandId,
        Name = Name,
        Keywords = [.. Keywords],
        ReferencePrice = ReferencePrice,
        ReferencePrices = new(ReferencePrices, StringComparer.Ordinal),
        Currency = Currency,
        AuthorizedSellerIds = [.. AuthorizedSellerIds],
        OfficialStoreSellerIds = [.. OfficialStoreSellerIds],
        RegisteredAt = RegisteredAt,
        Applied = Applied.Clone(),
    };
}
