using System.Globalization;
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

    public ParseResult Parse(string line, DateTimeOffset? now = null) => Parse(Encoding.UTF8.GetBytes(line), now);

    /// <summary>
    /// Parses one line. Never throws for any input: every problem is a <see cref="ParseError"/>.
    /// </summary>
    /// <param name="now">
    /// The server's clock when the line arrived. With it, an <c>occurredAt</c> more than
    /// <see cref="EventLimits.MaxFutureSkew"/> ahead is rejected; without it (a replay of history) it is not checked.
    /// </param>
    public ParseResult Parse(ReadOnlySpan<byte> utf8Line, DateTimeOffset? now = null)
    {
        if (utf8Line.Length > _limits.MaxLineBytes)
        {
            return Fail(ParseErrorCodes.TooLong, $"the line is {utf8Line.Length} bytes, limit {_limits.MaxLineBytes}", null, null);
        }

        var options = new JsonReaderOptions { MaxDepth = _limits.MaxDepth, CommentHandling = JsonCommentHandling.Disallow };
        JsonDocument document;
        string? eventIdForErrors;
        try
        {
            if (WireTextCheck.Check(utf8Line, options, _limits.MaxIdLength, out eventIdForErrors) is { } problem)
            {
                return ParseResult.Fail(problem with { EventId = eventIdForErrors });
            }

            var reader = new Utf8JsonReader(utf8Line, options);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return Fail(ParseErrorCodes.MalformedJson, ex.Message, null, null);
        }

        using (document)
        {
            return ParseDocument(document.RootElement, eventIdForErrors, now);
        }
    }

    private ParseResult ParseDocument(JsonElement root, string? eventIdForErrors, DateTimeOffset? now)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail(ParseErrorCodes.MalformedJson, $"the line must be a JSON object, got {root.ValueKind.ToString().ToLowerInvariant()}", null, null);
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
        if (now is { } clock && occurredAt > clock + _limits.MaxFutureSkew)
        {
            return Fail(ParseErrorCodes.TimeOutOfRange, string.Create(CultureInfo.InvariantCulture,
                $"\"occurredAt\" is {WireTime.Format(occurredAt)}, more than {WireTime.Describe(_limits.MaxFutureSkew)} ahead of the server's clock ({WireTime.Format(clock)}); an event is sent once it has happened"),
                eventId, "occurredAt");
        }

        var e = read(r, eventId, occurredAt);
        r.RejectUnknownFields(type, version);
        return r.Error is null ? ParseResult.Ok(e) : ParseResult.Fail(r.Error);
    }

    private static ParseResult Fail(string code, string message, string? eventId, string? field) =>
        ParseResult.Fail(new ParseError(code, message, eventId, field));
}
