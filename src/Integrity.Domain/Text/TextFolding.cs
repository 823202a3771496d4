using System.Globalization;
using System.Text;

namespace Integrity.Domain.Text;

/// <summary>
/// Folds text for matching: compatibility-normalized (full-width letters become ASCII), accents removed, lowercase,
/// punctuation turned to single spaces. "Guérit   le CANCER !" and "guerit le cancer" fold alike. '%' is kept because
/// claims such as "100% guaranteed" hinge on it. Chinese characters pass through unchanged.
/// </summary>
public static class TextFolding
{
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return "";

        // ASCII is already in every normalization form: only other text goes through the (ICU) normalizer, twice.
        var ascii = !text.AsSpan().ContainsAnyExceptInRange('\0', '\x7f');
        var decomposed = ascii ? text : text.Normalize(NormalizationForm.FormKD);
        var sb = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(c) || c == '%')
            {
                if (pendingSpace && sb.Length > 0) sb.Append(' ');
                sb.Append(char.ToLowerInvariant(c));
                pendingSpace = false;
            }
            else
            {
                pendingSpace = true;
            }
        }

        return ascii ? sb.ToString() : sb.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>True for CJK ideographs, which are written without spaces between words.</summary>
    public static bool IsCjk(char c) => c is >= '\u3400' and <= '\u9fff' or >= '\uf900' and <= '\ufaff';

    /// <summary>Words of folded text; each CJK character counts as a word of its own.</summary>
    public static IEnumerable<string> Words(string folded)
    {
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var c = i < folded.Length ? folded[i] : ' ';
            if (c == ' ' || IsCjk(c))
            {
                if (start >= 0) yield return folded[start..i];
                start = -1;
                if (c != ' ') yield return c.ToString();
            }
            else if (start < 0)
            {
                start = i;
            }
        }
    }
}
