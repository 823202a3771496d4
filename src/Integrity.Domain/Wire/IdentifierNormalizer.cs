using System.Text;
using Integrity.Domain.Events;

namespace Integrity.Domain.Wire;

/// <summary>
/// Brings the many spellings of one identifier to one form before hashing, so that "+33 6 12-34" and "0033612 34"
/// hash alike. Deliberately conservative: a normalization that merges different people would create false links.
/// </summary>
public static class IdentifierNormalizer
{
    public static string Normalize(IdentifierKind kind, string value)
    {
        var text = value.Normalize(NormalizationForm.FormKC).Trim().ToLowerInvariant();
        return kind switch
        {
            IdentifierKind.Phone => Phone(text),
            IdentifierKind.BankAccount or IdentifierKind.TaxId => Keep(text, char.IsLetterOrDigit),
            IdentifierKind.Address => Words(text),
            _ => Keep(text, c => !char.IsWhiteSpace(c)),
        };
    }

    private static string Phone(string text)
    {
        var digits = Keep(text, char.IsDigit);
        if (text.StartsWith('+')) return "+" + digits;
        return digits.StartsWith("00", StringComparison.Ordinal) ? "+" + digits[2..] : digits;
    }

    private static string Keep(string text, Func<char, bool> keep)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (keep(c)) sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>Punctuation becomes space, runs of space become one: "12, Rue  X." and "12 rue x" are the same address.</summary>
    private static string Words(string text)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (!char.IsLetterOrDigit(c))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace && sb.Length > 0) sb.Append(' ');
            sb.Append(c);
            pendingSpace = false;
        }

        return sb.ToString();
    }
}
