using System.Text;
using CsCheck;
using Integrity.Domain.Tests.Fixtures;
using Integrity.Domain.Wire;

namespace Integrity.Domain.Tests.Wire;

/// <summary>Parse never throws: whatever the bytes, the answer is an event or a reason.</summary>
public sealed class EventParserFuzzTests
{
    private static readonly EventParser Parser = TestHasher.Parser();

    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] Codes =
    [
        ParseErrorCodes.MalformedJson, ParseErrorCodes.TooLong, ParseErrorCodes.TooMany, ParseErrorCodes.MissingField, ParseErrorCodes.UnknownType,
        ParseErrorCodes.UnsupportedSchemaVersion, ParseErrorCodes.InvalidValue, ParseErrorCodes.UnknownField, ParseErrorCodes.TimeOutOfRange,
    ];

    /// <summary>One valid line of every event type, with every kind of field (identifiers, lists, maps, enums, times).</summary>
    private static readonly byte[][] ValidLines =
    [
        .. new[]
        {
            """{"type":"seller.registered","schemaVersion":1,"eventId":"e-1","occurredAt":"2026-11-23T10:00:00Z","sellerId":"S-1","name":"Shop","identifiers":{"bankAccount":"FR76 3000","phone":"+33 6 12 34 56 78","email":"a@b.example","address":"1 rue X","device":"d-1","taxId":"T1","ip":"10.0.0.1"}}""",
            """{"type":"seller.updated","schemaVersion":1,"eventId":"e-2","occurredAt":"2026-11-23T10:00:00+02:00","sellerId":"S-1","identifiers":{"phone":"+33 6 00"}}""",
            """{"type":"listing.created","schemaVersion":1,"eventId":"e-3","occurredAt":"2026-11-23T10:00:00Z","listingId":"L-1","sellerId":"S-1","title":"Sneakers","description":"","brandId":"B-1","categoryId":"shoes","price":49.5,"currency":"EUR"}""",
            """{"type":"listing.updated","schemaVersion":1,"eventId":"e-4","occurredAt":"2026-11-23T10:00:00Z","listingId":"L-1","sellerId":"S-1","title":"Sneakers","description":"new","categoryId":"shoes","price":9,"currency":"EUR"}""",
            """{"type":"order.placed","schemaVersion":1,"eventId":"e-5","occurredAt":"2026-11-23T10:00:00Z","orderId":"O-1","listingId":"L-1","sellerId":"S-1","buyerId":"C-1","amount":19.99,"currency":"EUR","shipTo":"1 rue de la Paix","payment":"fp-1","buyer":{"phone":"+33 6","email":"c@d.example","device":"x","ip":"1.2.3.4"}}""",
            """{"type":"order.refunded","schemaVersion":1,"eventId":"e-6","occurredAt":"2026-11-23T10:00:00Z","orderId":"O-1","listingId":"L-1","sellerId":"S-1","buyerId":"C-1","amount":19.99,"currency":"EUR"}""",
            """{"type":"review.posted","schemaVersion":1,"eventId":"e-7","occurredAt":"2026-11-23T10:00:00Z","reviewId":"R-1","listingId":"L-1","sellerId":"S-1","reviewerId":"C-1","rating":5,"text":"Great \ud83d\ude00 caf\u00e9","orderId":"O-1","accountCreatedAt":"2026-01-01T00:00:00Z"}""",
            """{"type":"complaint.filed","schemaVersion":1,"eventId":"e-8","occurredAt":"2026-11-23T10:00:00Z","complaintId":"CP-1","kind":"counterfeit","listingId":"L-1","sellerId":"S-1","complainantId":"C-1"}""",
            """{"type":"brand.registered","schemaVersion":1,"eventId":"e-9","occurredAt":"2026-11-23T10:00:00Z","brandId":"B-1","name":"Acme","keywords":["acme","アクメ"],"referencePrice":100,"referencePrices":{"shoes":90},"currency":"EUR","authorizedSellerIds":["S-1"]}""",
            """{"type":"brand.reported","schemaVersion":1,"eventId":"e-10","occurredAt":"2026-11-23T10:00:00Z","reportId":"BR-1","kind":"counterfeit","brandId":"B-1","listingId":"L-1","sellerId":"S-1"}""",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    /// <summary>What hostile senders put into lines: broken UTF-8, lone surrogates, NUL, structure, duplicate keys, far times.</summary>
    private static readonly byte[][] Snippets =
    [
        [0xE9], [0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00], [0xEF, 0xBB, 0xBF],
        .. new[]
        {
            "\\ud83d", "\\udc00", "\\ud83d\\ude00", "\\u0000", "\\", "\"", "\\\"", "{", "}", "[", "]", ",", ":", "null", "1e999", "-0", "99999999999999999999",
            ",\"phone\":\"1\"", ",\"eventId\":\"dup\"", ",\"type\":\"review.posted\"", "\"9999-12-31T23:59:59Z\"", "\"0001-01-01T00:00:00Z\"",
            "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":1}}}}}}}}}", "[[[[[[[[[[[[]]]]]]]]]]]]", "\u202E", "\uFFFF", "\U0001F600",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    private static readonly Gen<byte[]> Mutated =
        Gen.Select(Gen.Int[0, ValidLines.Length - 1], Gen.Select(Gen.Int[0, 3], Gen.Double.Unit, Gen.Int[0, Snippets.Length - 1], Gen.Int[1, 12], Gen.Byte).Array[1, 4])
            .Select((line, edits) => edits.Aggregate(ValidLines[line], (bytes, edit) => Mutate(bytes, edit.Item1, edit.Item2, edit.Item3, edit.Item4, edit.Item5)));

    [Fact]
    public void Parse_never_throws_on_arbitrary_bytes()
    {
        Gen.Byte.Array[0, 400].Sample(bytes => Check(bytes), iter: 20_000);
    }

    [Fact]
    public void Parse_never_throws_on_mutated_valid_events()
    {
        Mutated.Sample(bytes => Check(bytes), iter: 20_000);
    }

    [Fact]
    public void Parse_never_throws_on_any_text_in_a_string_field()
    {
        Gen.Char.Array[0, 40].Select(chars => new string(chars)).Sample(text =>
        {
            var escaped = string.Concat(text.Select(c => c is < ' ' or '"' or '\\' or (>= '\uD800' and <= '\uDFFF') ? $"\\u{(int)c:x4}" : c.ToString()));
            var line = Encoding.UTF8.GetBytes(
                $$"""{"type":"review.posted","schemaVersion":1,"eventId":"e-1","occurredAt":"2026-11-23T10:00:00Z","reviewId":"R-1","listingId":"L-1","sellerId":"S-1","reviewerId":"C-1","rating":5,"text":"{{escaped}}"}""");
            var result = Check(line);
            Assert.Equal(!HasLoneSurrogate(text), result.Succeeded);
        }, iter: 5_000);
    }

    private static ParseResult Check(byte[] bytes)
    {
        var result = Parser.Parse(bytes, Now);
        if (result.Succeeded)
        {
            Assert.False(string.IsNullOrEmpty(result.Event.EventId));
        }
        else
        {
            Assert.Contains(result.Error.Code, Codes);
            Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
        }

        return result;
    }

    private static byte[] Mutate(byte[] bytes, int kind, double where, int snippet, int length, byte value)
    {
        var at = (int)(where * bytes.Length);
        return kind switch
        {
            0 => [.. bytes[..at], .. Snippets[snippet], .. bytes[at..]],
            1 => [.. bytes[..at], .. bytes[Math.Min(bytes.Length, at + length)..]],
            2 => [.. bytes[..at], .. bytes[at..Math.Min(bytes.Length, at + length)], .. bytes[at..]],
            _ => at < bytes.Length ? [.. bytes[..at], value, .. bytes[(at + 1)..]] : bytes,
        };
    }

    private static bool HasLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return true;
            }
        }

        return false;
    }
}
