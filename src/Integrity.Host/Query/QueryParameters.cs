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

    /// <summary>
    /// An event-time range [from, to) from optional <c>from</c> and <c>to</c>: <c>to</c> defaults to
    /// <paramref name="now"/> and <c>from</c> to <paramref name="defaultSpan"/> before <c>to</c>; <c>from</c> must come
    /// before <c>to</c>, at most <paramref name="maxSpan"/> before it.
    /// </summary>
    public static bool TryRange(
        string? from, string? to, DateTimeOffset now, TimeSpan defaultSpan, TimeSpan maxSpan, out DateTimeOffset start, out DateTimeOffset end, out string problem)
    {
        (start, end) = (default, default);
        if (!TryTime(from, "from", out var since, out problem) || !TryTime(to, "to", out var until, out problem))
        {
            return false;
        }

        end = until ?? now;
        start = since ?? end - defaultSpan;
        if (start >= end || end - start > maxSpan)
        {
            problem = $"\"from\" must come before \"to\", at most {maxSpan.TotalDays:0} days before it.";
            return false;
        }

        return true;
    }

    /// <summary>A count from 1 to <paramref name="max"/> (the query parameter <paramref name="name"/>), or <paramref name="fallback"/> when absent.</summary>
    public static bool TryLimit(string? text, int fallback, int max, out int value, out string problem, string name = "limit")
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

        problem = $"\"{name}\" must be a whole number from 1 to {max}; got '{Shorten(text)}'.";
        return false;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
