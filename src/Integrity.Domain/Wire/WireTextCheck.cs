using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Integrity.Domain.Wire;

/// <summary>
/// One pass over a line's tokens before it is read as a document. System.Text.Json accepts invalid UTF-8 and lone
/// surrogate escapes (<c>"\ud83d"</c>) while reading and only throws when a value is turned into a string; and it
/// accepts an object that names a property twice, at any depth, leaving which value counts to chance. Both are
/// found here, with the field named, so that nothing later can throw on a hostile line and no field is guessed.
/// The pass also picks out the top-level <c>eventId</c>, so a rejection can name its event.
/// </summary>
internal static class WireTextCheck
{
    /// <summary>Throws <see cref="JsonException"/> for malformed JSON; returns the first other problem, or null.</summary>
    public static ParseError? Check(ReadOnlySpan<byte> utf8Line, JsonReaderOptions options, int maxIdLength, out string? eventId)
    {
        eventId = null;
        ParseError? problem = null;
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(utf8Line, options);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    NextValue(frames);
                    frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    frames.RemoveAt(frames.Count - 1);
                    break;
                case JsonTokenType.PropertyName:
                {
                    var frame = frames[^1];
                    if (Problem(ref reader) is { } bad)
                    {
                        frame.Property = "?";
                        problem ??= bad.Describe(frames.Count == 1 ? "a property name" : $"a property name in \"{Clip(Path(frames, frames.Count - 1))}\"");
                        break;
                    }

                    var name = reader.GetString()!;
                    frame.Property = name;
                    if (!(frame.Names ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                    {
                        var path = Path(frames, frames.Count);
                        problem ??= new ParseError(ParseErrorCodes.MalformedJson, $"\"{Clip(path)}\" appears more than once", null, path);
                    }

                    break;
                }

                case JsonTokenType.String:
                    NextValue(frames);
                    if (Problem(ref reader) is { } invalid)
                    {
                        var path = Path(frames, frames.Count);
                        problem ??= invalid.Describe(frames.Count == 0 ? "the line" : $"\"{Clip(path)}\"", path);
                    }
                    else if (frames.Count == 1 && !frames[0].IsArray && eventId is null && frames[0].Property == "eventId"
                        && reader.GetString() is { Length: > 0 } id && id.Length <= maxIdLength)
                    {
                        eventId = id;
                    }

                    break;
                default:
                    NextValue(frames);
                    break;
            }
        }

        return problem;
    }

    /// <summary>What is wrong with one string token (a value or a property name), if anything.</summary>
    private static TextProblem? Problem(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (!Utf8.IsValid(raw))
        {
            var bad = FirstInvalidByte(raw);
            return new TextProblem(raw[bad], reader.TokenStartIndex + 1 + bad, null);
        }

        return reader.ValueIsEscaped && LoneSurrogate(raw) is { } half ? new TextProblem(0, 0, half) : null;
    }

    /// <summary>Invalid UTF-8 (a byte and where it is) or a lone surrogate escape.</summary>
    private sealed record TextProblem(byte Byte, long Offset, int? Surrogate)
    {
        public ParseError Describe(string what, string? field = null) => Surrogate is { } half
            ? new ParseError(
                ParseErrorCodes.InvalidValue,
                string.Create(CultureInfo.InvariantCulture, $"{what} is not valid Unicode: the escape \\u{half:x4} is half of a surrogate pair without its other half"),
                null,
                field)
            : new ParseError(
                ParseErrorCodes.MalformedJson,
                string.Create(CultureInfo.InvariantCulture, $"{what} is not valid UTF-8 (byte 0x{Byte:X2} at offset {Offset}); send text as UTF-8"),
                null,
                field);
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> raw)
    {
        var i = 0;
        while (i < raw.Length)
        {
            if (Rune.DecodeFromUtf8(raw[i..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return i;
            }

            i += consumed;
        }

        return 0;
    }

    /// <summary>
    /// The first <c>\uXXXX</c> escape that is a surrogate without its partner, or null. The reader has already
    /// checked that every escape is well formed, so only the pairing is left to check.
    /// </summary>
    private static int? LoneSurrogate(ReadOnlySpan<byte> raw)
    {
        int? high = null;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\' || raw[i + 1] != (byte)'u')
            {
                if (high is not null) return high;
                if (raw[i] == (byte)'\\') i++;
                continue;
            }

            Utf8Parser.TryParse(raw.Slice(i + 2, 4), out ushort code, out _, 'X');
            i += 5;
            var isLow = code is >= 0xDC00 and <= 0xDFFF;
            if (high is not null)
            {
                if (!isLow) return high;
                high = null;
            }
            else if (isLow)
            {
                return code;
            }
            else if (code is >= 0xD800 and <= 0xDBFF)
            {
                high = code;
            }
        }

        return high;
    }

    private static void NextValue(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
        {
            frames[^1].Index++;
        }
    }

    /// <summary>"identifiers.phone", "keywords[2]": where the current token is, for messages.</summary>
    private static string Path(List<Frame> frames, int upTo)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < upTo; i++)
        {
            var f = frames[i];
            if (f.IsArray)
            {
                sb.Append(CultureInfo.InvariantCulture, $"[{f.Index}]");
            }
            else
            {
                if (sb.Length > 0) sb.Append('.');
                sb.Append(f.Property);
            }
        }

        return sb.ToString();
    }

    private static string Clip(string s) => s.Length <= 60 ? s : s[..60] + "…";

    /// <summary>One open object or array: the names seen so far, or the index of the current element.</summary>
    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;

        public HashSet<string>? Names { get; set; }

        public string Property { get; set; } = "";

        public int Index { get; set; } = -1;
    }
}
