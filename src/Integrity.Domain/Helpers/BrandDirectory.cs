using Integrity.Domain.Text;

namespace Integrity.Domain.Helpers;

/// <summary>
/// Keyword → brands index, so a listing that names a brand without declaring it still gets checked against that
/// brand. Indexed by each keyword's first word; candidates are then confirmed with <see cref="BrandProfile.FindKeyword"/>.
/// </summary>
public sealed class BrandDirectory
{
    public int Version { get; set; } = 1;

    public Dictionary<string, List<string>> BrandsByFirstWord { get; set; } = new(StringComparer.Ordinal);

    public void Register(BrandProfile brand)
    {
        foreach (var keyword in brand.Keywords)
        {
            var first = TextFolding.Words(keyword).FirstOrDefault();
            if (first is null) continue;
            if (!BrandsByFirstWord.TryGetValue(first, out var brands)) BrandsByFirstWord[first] = brands = [];
            if (!brands.Contains(brand.BrandId)) brands.Add(brand.BrandId);
        }
    }

    /// <summary>Brand ids whose keywords may appear in the texts (a superset; confirm with the profiles).</summary>
    public IReadOnlyList<string> Candidates(params string[] texts) =>
        TextFolding.Words(TextFolding.Fold(string.Join(" ", texts)))
            .Distinct(StringComparer.Ordinal)
            .SelectMany(w => BrandsByFirstWord.TryGetValue(w, out var brands) ? brands : [])
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
