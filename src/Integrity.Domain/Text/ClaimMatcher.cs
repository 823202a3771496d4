namespace Integrity.Domain.Text;

/// <summary>A lexicon phrase found in a text.</summary>
public sealed record ClaimMatch(string Phrase, string Language, ClaimCategory Category);

/// <summary>
/// Finds lexicon phrases in text, case- and accent-insensitively. Latin-script phrases must sit on word boundaries
/// ("cures cancer" does not match "procures cancer-free..."); Chinese phrases are matched as substrings with spaces
/// removed, since Chinese has no spaces between words.
/// </summary>
public sealed class ClaimMatcher
{
    private readonly (string Folded, bool Cjk, ClaimPhrase Phrase)[] _phrases;

    public ClaimMatcher(ClaimLexicon lexicon)
    {
        _phrases = lexicon.Phrases
            .Select(p => (Folded: TextFolding.Fold(p.Phrase), p))
            .Select(x => (x.Folded.Any(TextFolding.IsCjk) ? x.Folded.Replace(" ", "", StringComparison.Ordinal) : x.Folded, x.Folded.Any(TextFolding.IsCjk), x.p))
            .ToArray();
    }

    public static ClaimMatcher Default { get; } = new(ClaimLexicon.Default);

    public IReadOnlyList<ClaimMatch> Find(params string[] texts)
    {
        var folded = TextFolding.Fold(string.Join(" \n ", texts));
        var compact = folded.Replace(" ", "", StringComparison.Ordinal);
        var matches = new List<ClaimMatch>();
        foreach (var (phrase, cjk, source) in _phrases)
        {
            var found = cjk ? compact.Contains(phrase, StringComparison.Ordinal) : ContainsWord(folded, phrase);
            if (found && !matches.Any(m => m.Phrase == source.Phrase)) matches.Add(new ClaimMatch(source.Phrase, source.Language, source.Category));
        }

        return matches;
    }

    private static bool ContainsWord(string text, string phrase)
    {
        for (var i = text.IndexOf(phrase, StringComparison.Ordinal); i >= 0; i = text.IndexOf(phrase, i + 1, StringComparison.Ordinal))
        {
            var startOk = i == 0 || text[i - 1] == ' ';
            var end = i + phrase.Length;
            var endOk = end == text.Length || text[end] == ' ';
            if (startOk && endOk) return true;
        }

        return false;
    }
}
