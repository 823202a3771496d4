using System.Globalization;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;

namespace Integrity.Domain.Signals;

/// <summary>Builds reasons with invariant number formatting (messages are audit text, not UI text).</summary>
internal static class SignalReason
{
    /// <summary>The reason of a tripped signal; of a rule the coverage gate made inactive, at weight 0 saying why it does not count.</summary>
    public static Reason Trip(string code, SignalRule rule, double value, double threshold, FormattableString message, IEnumerable<string> eventIds) =>
        rule.InactiveBecause is { } because
            ? new(code, $"not counted ({because}): {message.ToString(CultureInfo.InvariantCulture)}", Math.Round(value, 4), threshold, 0, Latest(eventIds), Inactive: true)
            : new(code, message.ToString(CultureInfo.InvariantCulture), Math.Round(value, 4), threshold, rule.Weight, Latest(eventIds));

    /// <summary>A graded signal: the rule's weight × <paramref name="strength"/> (0..1), to 6 decimals (the score's 4 decimals of 0..100).</summary>
    public static Reason Graded(this Reason reason, SignalRule rule, double strength) => reason with { Weight = Math.Round(rule.Weight * Math.Clamp(strength, 0, 1), 6) };

    /// <summary>"1h", "24h", "7d": windows as analysts write them.</summary>
    public static string Span(TimeSpan span) =>
        span.TotalHours < 48 && span.TotalHours == Math.Floor(span.TotalHours) ? $"{span.TotalHours:0}h"
        : span.TotalDays == Math.Floor(span.TotalDays) ? $"{span.TotalDays:0}d"
        : span.ToString("c", CultureInfo.InvariantCulture);

    public static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static List<string> Latest(IEnumerable<string> ids)
    {
        var list = ids.Distinct(StringComparer.Ordinal).ToList();
        return list.Count <= Reason.MaxEventIds ? list : list.GetRange(list.Count - Reason.MaxEventIds, Reason.MaxEventIds);
    }
}
