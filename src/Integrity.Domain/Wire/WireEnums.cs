using Integrity.Domain.Events;

namespace Integrity.Domain.Wire;

/// <summary>Wire spellings of enum fields (snake_case, the same as the domain JSON).</summary>
internal static class WireEnums
{
    public static IReadOnlyDictionary<string, ComplaintKind> ComplaintKinds { get; } = new Dictionary<string, ComplaintKind>(StringComparer.Ordinal)
    {
        ["counterfeit"] = ComplaintKind.Counterfeit,
        ["not_as_described"] = ComplaintKind.NotAsDescribed,
        ["non_delivery"] = ComplaintKind.NonDelivery,
        ["quality"] = ComplaintKind.Quality,
        ["other"] = ComplaintKind.Other,
    };

    public static IReadOnlyDictionary<string, BrandReportKind> BrandReportKinds { get; } = new Dictionary<string, BrandReportKind>(StringComparer.Ordinal)
    {
        ["counterfeit"] = BrandReportKind.Counterfeit,
        ["trademark"] = BrandReportKind.Trademark,
        ["defamation"] = BrandReportKind.Defamation,
    };

    /// <summary>The entities with a ladder, and so a decision to appeal.</summary>
    public static IReadOnlyDictionary<string, EntityKind> AppealEntityKinds { get; } = new Dictionary<string, EntityKind>(StringComparer.Ordinal)
    {
        ["seller"] = EntityKind.Seller,
        ["listing"] = EntityKind.Listing,
        ["reviewer"] = EntityKind.Reviewer,
    };
}
