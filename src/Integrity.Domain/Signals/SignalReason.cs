using System.Globalization;
using System.Runtime.CompilerServices;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;

namespace Integrity.Domain.Signals;

/// <summary>Builds reasons with invariant number formatting (messages are audit text, not UI text).</summary>
internal static class SignalReason
{
    /// <summary>The reason of a tripped signal; of a rule the coverage gate made inactive, at weight 0 saying why it does not count.</summary>
    /// <param name="message">Formatted as it is built, with the invariant culture and without boxing its numbers (signals trip on most evaluations).</param>
    public static Reason Trip(string code, SignalRule rule, double value, double threshold, InvariantText message, IEnumerable<string> eventIds) =>
        Build(code, rule, value, threshold, rule.InactiveBecause is null ? rule.Weight : 0, ref message, eventIds);

    /// <summary>As <see cref="Trip(string, SignalRule, double, double, InvariantText, IEnumerable{string})"/>, with the message written only when read: <paramref name="describe"/> must hold the values it shows, not the entity's state, which later events change.</summary>
    public static Reason Trip(string code, SignalRule rule, double value, double threshold, Func<string> describe, IEnumerable<string> eventIds) =>
        Build(code, rule, value, threshold, rule.InactiveBecause is null ? rule.Weight : 0, describe, eventIds);

    /// <summary>
    /// A graded signal's reason: as <see cref="Trip(string, SignalRule, double, double, Func{string}, IEnumerable{string})"/>, at the
    /// rule's weight × <paramref name="strength"/> (0..1), to 6 decimals (the score's 4 decimals of 0..100), inactive or
    /// not (the coverage gate zeroes an inactive rule's weight).
    /// </summary>
    public static Reason TripGraded(string code, SignalRule rule, double value, double threshold, double strength, Func<string> describe, IEnumerable<string> eventIds) =>
        Build(code, rule, value, threshold, Math.Round(rule.Weight * Math.Clamp(strength, 0, 1), 6), describe, eventIds);

    private static Reason Build(string code, SignalRule rule, double value, double threshold, double weight, ref InvariantText message, IEnumerable<string> eventIds) =>
        rule.InactiveBecause is { } because
            ? new(code, $"not counted ({because}): {message.ToStringAndClear()}", Math.Round(value, 4), threshold, weight, Latest(eventIds), Inactive: true)
            : new(code, message.ToStringAndClear(), Math.Round(value, 4), threshold, weight, Latest(eventIds));

    private static Reason Build(string code, SignalRule rule, double value, double threshold, double weight, Func<string> describe, IEnumerable<string> eventIds) =>
        rule.InactiveBecause is { } because
            ? new(code, () => $"not counted ({because}): {describe()}", Math.Round(value, 4), threshold, weight, Latest(eventIds), inactive: true)
            : new(code, describe, Math.Round(value, 4), threshold, weight, Latest(eventIds), inactive: false);

    /// <summary>"1h", "24h", "7d": windows as analysts write them.</summary>
    public static string Span(TimeSpan span) =>
        span.TotalHours < 48 && span.TotalHours == Math.Floor(span.TotalHours) ? $"{span.TotalHours:0}h"
        : span.TotalDays == Math.Floor(span.TotalDays) ? $"{span.TotalDays:0}d"
        : span.ToString("c", CultureInfo.InvariantCulture);

    public static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    [ThreadStatic]
    private static HashSet<string>? t_seen;

    [ThreadStatic]
    private static string[]? t_latest;

    /// <summary>
    /// The last <see cref="Reason.MaxEventIds"/> distinct ids, in order of first occurrence: one pass, keeping the latest
    /// first occurrences in a ring, so no list of every id is built (the evidence of a long window is built on every trip).
    /// </summary>
    private static List<string> Latest(IEnumerable<string> ids)
    {
        var seen = t_seen ??= new HashSet<string>(StringComparer.Ordinal);
        var ring = t_latest ??= new string[Reason.MaxEventIds];
        seen.Clear();
        var count = 0;
        if (ids is List<string> list)
        {
            // Gathered by the signal (see Evidence): read by index, no enumerator.
            for (var i = 0; i < list.Count; i++) Keep(list[i]);
        }
        else
        {
            foreach (var id in ids) Keep(id);
        }

        var kept = Math.Min(count, ring.Length);
        var latest = new List<string>(kept);
        for (var i = count - kept; i < count; i++) latest.Add(ring[i % ring.Length]);
        Array.Clear(ring);
        return latest;

        void Keep(string id)
        {
            if (!seen.Add(id)) return;
            ring[count % ring.Length] = id;
            count++;
        }
    }

    [ThreadStatic]
    private static List<string>? t_evidence;

    /// <summary>
    /// An empty list to gather a reason's evidence ids in, right before <c>Trip</c>, which copies what it keeps: one
    /// list per thread, reused, instead of an iterator chain per trip.
    /// </summary>
    public static List<string> Evidence()
    {
        var list = t_evidence ??= [];
        list.Clear();
        return list;
    }
}

/// <summary>
/// An interpolated message formatted with the invariant culture as it is built (what
/// <c>FormattableString.ToString(CultureInfo.InvariantCulture)</c> gives, without the boxed arguments and format parsing).
/// </summary>
[InterpolatedStringHandler]
internal ref struct InvariantText
{
    private DefaultInterpolatedStringHandler _inner;

    public InvariantText(int literalLength, int formattedCount) => _inner = new DefaultInterpolatedStringHandler(literalLength, formattedCount, CultureInfo.InvariantCulture);

    public void AppendLiteral(string value) => _inner.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => _inner.AppendFormatted(value, format);

    public void AppendFormatted<T>(T value, int alignment) => _inner.AppendFormatted(value, alignment);

    public void AppendFormatted<T>(T value, int alignment, string? format) => _inner.AppendFormatted(value, alignment, format);

    public void AppendFormatted(string? value) => _inner.AppendFormatted(value);

    public string ToStringAndClear() => _inner.ToStringAndClear();
}
