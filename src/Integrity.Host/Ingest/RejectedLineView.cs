using System.Text.Json;
using System.Text.RegularExpressions;
using Integrity.Domain.Events;
using Integrity.Domain.Wire;
using Integrity.Host.Query;

namespace Integrity.Host.Ingest;

/// <summary>
/// What the dead-letter table keeps of a rejected line: an allow-list, never the line. A deny-list of identifier
/// fields cannot win (unknown names such as <c>bank_account</c>, escaped names, single-quoted pseudo-JSON, unquoted
/// values all slipped past the old redactor), so only what is known to be safe is taken: the event type when it is
/// one of ours, the top-level ids that pass the wire's id rule, and a keyed hash of the bytes received, by which
/// whoever holds the line (and the key) can find its dead letter. The reason is the parser's, with every quoted
/// fragment that is not a field name or event type blanked, since some reasons echo a value.
/// </summary>
public static partial class RejectedLineView
{
    /// <summary>Top-level fields whose values are platform ids (docs/events.md), the only values a dead letter keeps.</summary>
    public static IReadOnlyList<string> IdFields { get; } =
    [
        "eventId", "sellerId", "listingId", "reviewerId", "buyerId", "orderId", "reviewId", "brandId", "categoryId",
        "complaintId", "complainantId", "reportId",
    ];

    private static readonly HashSet<string> EventTypes = new(EventTypeNames.All, StringComparer.Ordinal);

    public sealed record View(string? EventType, IReadOnlyDictionary<string, string> Ids, string RawHash);

    public static View Of(ReadOnlySpan<byte> utf8, IdentifierHasher hasher)
    {
        var hash = hasher.HashLine(utf8);
        string? type = null;
        var ids = new SortedDictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                // A name given twice is ambiguous: neither value is kept.
                var seen = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var p in document.RootElement.EnumerateObject())
                {
                    seen[p.Name] = seen.GetValueOrDefault(p.Name) + 1;
                }

                foreach (var p in document.RootElement.EnumerateObject())
                {
                    if (seen[p.Name] != 1 || p.Value.ValueKind != JsonValueKind.String || !TryString(p.Value, out var value))
                    {
                        continue;
                    }

                    if (p.Name == "type" && EventTypes.Contains(value))
                    {
                        type = value;
                    }
                    else if (IdFields.Contains(p.Name) && EntityKinds.IdProblem(value) is null)
                    {
                        ids[p.Name] = value;
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not JSON, or a name that is no text (a lone surrogate, bytes that are not UTF-8): only the hash, size,
            // line and reason are kept.
        }

        return new View(type, ids, hash);
    }

    /// <summary>
    /// The parser's reason with the values it echoes blanked: a quoted fragment after "got" is always a value; any other
    /// is kept only when it reads as a field name or is one of our event types (an unknown type's name is a value too).
    /// </summary>
    public static string SafeReason(string reason) =>
        QuotedFragment().Replace(reason, m =>
            m.Groups["got"].Success ? "got \"…\""
            : FieldName().IsMatch(m.Groups["text"].Value) || EventTypes.Contains(m.Groups["text"].Value) ? m.Value
            : "\"…\"");

    private static bool TryString(JsonElement element, out string value)
    {
        try
        {
            value = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate cannot become a string; such a value is not an id.
            value = "";
            return false;
        }
    }

    [GeneratedRegex("(?<got>got )?\"(?<text>[^\"]*)\"")]
    private static partial Regex QuotedFragment();

    // camelCase field names, optionally one level deep (identifiers.phone): no digits first, no spaces, '+', '@' or '-'.
    [GeneratedRegex("^[a-z][A-Za-z]{0,39}(\\.[a-z][A-Za-z]{0,39})?$")]
    private static partial Regex FieldName();
}
