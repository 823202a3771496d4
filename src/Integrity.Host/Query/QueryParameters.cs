using System.Globalization;

namespace Integrity.Host.Query;

/// <summary>Query-string parsing with messages that say what was wrong and what is expected.</summary>
public static class QueryParameters
{
    public static bool TryTime(string? text, string name, out DateTimeOffset? value, out string problem)
    {
        value = null;
        problem = "";
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            && (text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > 9))
        {
            value = parsed;
            return true;
        }

        problem = $"\"{name}\" must be an ISO 8601 time with an offset, e.g. 2026-11-23T10:00:00Z; got '{Shorten(text)}'.";
        return false;
    }

    public static bool TryLimit(string? text, int fallback, int max, out int value, out string problem)
    {
        value = fallback;
        problem = "";
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max)
        {
            return true;
        }

        problem = $"\"limit\" must be a whole number from 1 to {max}; got '{Shorten(text)}'.";
        return false;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
