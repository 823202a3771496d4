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
}
