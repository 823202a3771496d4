using System.Globalization;

namespace Integrity.Domain.Wire;

/// <summary>The range of event times the wire accepts, and how times and spans are written in rejections.</summary>
internal static class WireTime
{
    /// <summary>
    /// No marketplace fact is older than this; an earlier time is a default value (0001-01-01) or a unit mistake, and
    /// the signals' window arithmetic (time minus a look-back) must stay representable.
    /// </summary>
    public static readonly DateTimeOffset Earliest = DateTimeOffset.UnixEpoch;

    public static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"1 day", "6 hours", "90 minutes", "30 seconds".</summary>
    public static string Describe(TimeSpan span) => span switch
    {
        _ when span.Ticks % TimeSpan.TicksPerDay == 0 && span.Days != 0 => Plural(span.Days, "day"),
        _ when span.Ticks % TimeSpan.TicksPerHour == 0 && span.Ticks != 0 => Plural((long)span.TotalHours, "hour"),
        _ when span.Ticks % TimeSpan.TicksPerMinute == 0 && span.Ticks != 0 => Plural((long)span.TotalMinutes, "minute"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###} seconds"),
    };

    private static string Plural(long n, string unit) => string.Create(CultureInfo.InvariantCulture, $"{n} {unit}{(n == 1 ? "" : "s")}");
}
