using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Integrity.Host.Ingest;

/// <summary>
/// A rejected line is kept for analysts, but its clear personal identifiers never are: the values of identifier
/// fields (ship-to, payment, and everything under <c>identifiers</c> / <c>buyer</c>) are replaced before storing.
/// Valid JSON is rewritten; a line that does not parse is redacted by pattern.
/// </summary>
public static partial class RawLineRedactor
{
    public const string Redacted = "<redacted>";

    private static readonly HashSet<string> IdentifierFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "shipTo", "payment", "identifiers", "buyer", "bankAccount", "phone", "email", "address", "device", "taxId", "ip",
    };

    private static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Redact(string line)
    {
        try
        {
            if (JsonNode.Parse(line) is JsonObject root)
            {
                RedactObject(root);
                return root.ToJsonString(Output);
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // Not JSON (or duplicate names): fall back to the pattern.
        }

        return IdentifierValue().Replace(line, m => $"\"{m.Groups["name"].Value}\":\"{Redacted}\"");
    }

    private static void RedactObject(JsonObject node)
    {
        foreach (var name in node.Select(p => p.Key).ToList())
        {
            if (IdentifierFields.Contains(name) && node[name] is not null)
            {
                node[name] = Redacted;
            }
            else if (node[name] is JsonObject child)
            {
                RedactObject(child);
            }
            else if (node[name] is JsonArray array)
            {
                foreach (var item in array.OfType<JsonObject>())
                {
                    RedactObject(item);
                }
            }
        }
    }

    // A quoted identifier name, then its value: a string (possibly cut off by truncation) or any bare token.
    [GeneratedRegex("""
        "(?<name>shipTo|payment|bankAccount|phone|email|address|device|taxId|ip)"\s*:\s*(?:"(?:[^"\\]|\\.)*(?:"|$)|[^,}\]\s]+)
        """, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierValue();
}
