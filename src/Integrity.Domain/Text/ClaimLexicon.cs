namespace Integrity.Domain.Text;

public enum ClaimCategory
{
    /// <summary>Health or medical claims a non-drug product may not make (cures, treats, no side effects).</summary>
    Prohibited,

    /// <summary>Absolute promises that mislead even if legal elsewhere (100% guaranteed).</summary>
    Exaggerated,
}

/// <summary>One phrase of a claim lexicon, in the language it is written in.</summary>
public sealed record ClaimPhrase(string Phrase, string Language, ClaimCategory Category);

/// <summary>
/// The prohibited and exaggerated claim phrases, in English, Chinese (simplified and traditional) and French.
/// Data, not logic: extend it here (or build another instance from configuration). Phrases are matched after
/// <see cref="TextFolding.Fold"/>, so write them naturally, with or without accents and capitals.
/// </summary>
public sealed class ClaimLexicon(IReadOnlyList<ClaimPhrase> phrases)
{
    public IReadOnlyList<ClaimPhrase> Phrases { get; } = phrases;

    public static ClaimLexicon Default { get; } = new(
    [
        .. English(ClaimCategory.Prohibited,
            "cures cancer", "cure for cancer", "cures diabetes", "reverses diabetes", "cures all diseases", "treats all diseases",
            "miracle cure", "heals all", "no side effects", "kills cancer cells", "prevents cancer", "prevents covid",
            "cures covid", "lowers blood sugar permanently", "clinically proven to cure", "replaces your medication",
            "stop taking your medication"),
        .. English(ClaimCategory.Exaggerated,
            "100% guaranteed", "100% effective", "guaranteed results", "instant weight loss", "lose 10 kg in a week",
            "works for everyone", "permanent results guaranteed"),
        .. Chinese(ClaimCategory.Prohibited,
            "治愈癌症", "治癒癌症", "根治", "包治百病", "抗癌", "防癌", "治疗糖尿病", "治療糖尿病", "降血糖", "无副作用", "無副作用",
            "药到病除", "藥到病除", "神药", "神藥", "祖传秘方", "祖傳秘方", "永不复发", "永不復發", "替代药物", "替代藥物"),
        .. Chinese(ClaimCategory.Exaggerated, "百分百有效", "100%有效", "100%见效", "立竿见影", "立竿見影", "国家级", "最高级", "第一品牌"),
        .. French(ClaimCategory.Prohibited,
            "guérit le cancer", "guérit du cancer", "guérit le diabète", "soigne toutes les maladies", "remède miracle",
            "sans effets secondaires", "sans effet secondaire", "guérison garantie", "élimine le diabète", "remplace vos médicaments"),
        .. French(ClaimCategory.Exaggerated, "100% garanti", "100 % garanti", "efficacité garantie", "résultats garantis", "perte de poids garantie"),
    ]);

    private static IEnumerable<ClaimPhrase> English(ClaimCategory category, params string[] phrases) => phrases.Select(p => new ClaimPhrase(p, "en", category));

    private static IEnumerable<ClaimPhrase> Chinese(ClaimCategory category, params string[] phrases) => phrases.Select(p => new ClaimPhrase(p, "zh", category));

    private static IEnumerable<ClaimPhrase> French(ClaimCategory category, params string[] phrases) => phrases.Select(p => new ClaimPhrase(p, "fr", category));
}
