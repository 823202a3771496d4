using System.Text;
using System.Text.Json;

namespace Integrity.Domain.Wire;

/// <summary>
/// Turns one wire line (a JSON object, UTF-8) into a domain event, or a <see cref="ParseError"/> that names the field.
/// Clear personal identifiers are keyed-hashed here and never leave the parser. Thread-safe and allocation-light;
/// one instance per key serves every request.
/// </summary>
public sealed class EventParser(IdentifierHasher hasher, EventLimits? limits = null)
{
    private readonly EventLimits _limits = limits ?? EventLimits.Default;

    public EventLimits Limits => _limits;

    /// <summary>The keyed hasher of this parser (dead letters name a rejected line by its keyed hash).</summary>
    public IdentifierHasher Hasher => hasher;

    public ParseResult Parse(string line) => Parse(Encoding.UTF8.GetBytes(line));

    public ParseResult Parse(ReadOnlySpan<byte> utf8Line)
    {
        if (utf8Line.Length > _limits.MaxLineBytes)
        {
            return Fail(ParseErrorCodes.TooLong, $"the line is {utf8Line.Length} bytes, limit {_limits.MaxLineBytes}", null, null);
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Line, new JsonReaderOptions { MaxDepth = _limits.MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read()) return Fail(ParseErrorCodes.MalformedJson, "unexpected content after the JSON object", null, null);
        }
        catch (JsonException ex)
        {
            return Fail(ParseErrorCodes.MalformedJson, ex.Message, null, null);
        }

        using (document)
        {
            return ParseDocument(document.RootElement);
        }
    }

    private ParseResult ParseDocument(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail(ParseErrorCodes.MalformedJson, $"the line must be a JSON object, got {root.ValueKind.ToString().ToLowerInvariant()}", null, null);
        }

        var duplicate = FirstDuplicateProperty(root);
        var eventIdForErrors = root.TryGetProperty("eventId", out var idElement) && idElement.ValueKind == JsonValueKind.String
            && idElement.GetString() is { Length: > 0 } s && s.Length <= _limits.MaxIdLength
            ? s
            : null;
        if (duplicate is not null)
        {
            return Fail(ParseErrorCodes.MalformedJson, $"\"{duplicate}\" appears more than once", eventIdForErrors, duplicate);
        }

        var r = new WireReader(root, _limits, hasher, eventIdForErrors);
        var type = r.RequiredId("type");
        if (r.Error is not null) return ParseResult.Fail(r.Error);
        if (!WireSchemas.ByType.TryGetValue(type, out var versions))
        {
            return Fail(ParseErrorCodes.UnknownType, $"\"{type}\" is not an event type", eventIdForErrors, "type");
        }

        var version = r.RequiredInt("schemaVersion", 1, int.MaxValue);
        if (r.Error is not null) return ParseResult.Fail(r.Error);
        if (!versions.TryGetValue(version, out var read))
        {
            var supported = string.Join(", ", versions.Keys.Order());
            return Fail(ParseErrorCodes.UnsupportedSchemaVersion, $"{type} supports schemaVersion {supported}, got {version}", eventIdForErrors, "schemaVersion");
        }

        var eventId = r.RequiredId("eventId");
        var occurredAt = r.RequiredTime("occurredAt");
        if (r.Error is not null) return ParseResult.Fail(r.Error);

        var e = read(r, eventId, occurredAt);
        r.RejectUnknownFields(type, version);
        return r.Error is null ? ParseResult.Ok(e) : ParseResult.Fail(r.Error);
    }

    /// <summary>JSON allows duplicate names but two values for one field is ambiguous, so it is refused.</summary>
    private static string? FirstDuplicateProperty(JsonElement root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in root.EnumerateObject())
        {
            if (!seen.Add(p.Name)) return p.Name;
        }

        return null;
    }

    private static ParseResult Fail(string code, string message, string? eventId, string? field) =>
        ParseResult.Fail(new ParseError(code, message, eventId, field));
}
