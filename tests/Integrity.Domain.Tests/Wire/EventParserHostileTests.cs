using System.Text;
using Integrity.Domain.Events;
using Integrity.Domain.Tests.Fixtures;
using Integrity.Domain.Wire;

namespace Integrity.Domain.Tests.Wire;

/// <summary>Lines a careless or hostile sender may write: each is rejected with a reason, never thrown on.</summary>
public sealed class EventParserHostileTests
{
    private const string Review =
        """{"type":"review.posted","schemaVersion":1,"eventId":"e-1","occurredAt":"2026-11-23T10:00:00Z","reviewId":"R-1","listingId":"L-1","sellerId":"S-1","reviewerId":"C-1","rating":5,"text":"Great"}""";

    private const string Seller =
        """{"type":"seller.registered","schemaVersion":1,"eventId":"e-2","occurredAt":"2026-11-23T10:00:00Z","sellerId":"S-1","identifiers":{"phone":"+33 6 12 34 56 78","email":"a@b.example"}}""";

    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static readonly EventParser Parser = TestHasher.Parser();

    [Fact]
    public void Lone_surrogate_escape_in_a_value_is_rejected_with_the_field_and_event_named()
    {
        var error = Parser.Parse(Review.Replace("Great", "nice \\ud83d", StringComparison.Ordinal)).Error!;

        Assert.Equal("INVALID_VALUE: \"text\" is not valid Unicode: the escape \\ud83d is half of a surrogate pair without its other half", error.ToString());
        Assert.Equal("e-1", error.EventId);
        Assert.Equal("text", error.Field);
    }

    [Theory]
    [InlineData("nice \\udc00 day")]
    [InlineData("\\ud83d\\u0041")]
    [InlineData("\\ud83d\\ud83d\\ude00")]
    [InlineData("\\ud83d")]
    public void Every_kind_of_unpaired_surrogate_is_rejected(string text)
    {
        Assert.Equal(ParseErrorCodes.InvalidValue, Parser.Parse(Review.Replace("Great", text, StringComparison.Ordinal)).Error?.Code);
    }

    [Theory]
    [InlineData("\\ud83d\\ude00 great", "\U0001F600 great")]
    [InlineData("back\\\\ud83d", "back\\ud83d")]
    [InlineData("caf\\u00e9", "café")]
    public void Paired_surrogates_and_escaped_backslashes_are_text(string wire, string text)
    {
        var review = Assert.IsType<ReviewPosted>(Parser.Parse(Review.Replace("Great", wire, StringComparison.Ordinal)).Event);

        Assert.Equal(text, review.Text);
    }

    [Fact]
    public void Latin_1_byte_in_a_value_is_rejected_as_not_utf8_with_where_it_is()
    {
        var line = Encoding.UTF8.GetBytes(Review.Replace("Great", "caf#", StringComparison.Ordinal));
        var at = Array.IndexOf(line, (byte)'#');
        line[at] = 0xE9;

        var error = Parser.Parse(line).Error!;

        Assert.Equal($"MALFORMED_JSON: \"text\" is not valid UTF-8 (byte 0xE9 at offset {at}); send text as UTF-8", error.ToString());
        Assert.Equal("e-1", error.EventId);
    }

    [Theory]
    [InlineData("\"te\\udc00xt\":\"x\"")]
    [InlineData("\"te\u00e9xt\":\"x\"")]
    public void Invalid_property_name_is_rejected(string property)
    {
        var line = Encoding.UTF8.GetBytes(Review.Replace("\"text\":\"Great\"", property, StringComparison.Ordinal));
        if (property.Contains('\u00e9', StringComparison.Ordinal))
        {
            line = [.. Encoding.UTF8.GetBytes(Review.Replace("\"text\":\"Great\"", "\"te#xt\":\"x\"", StringComparison.Ordinal)).Select(b => b == '#' ? (byte)0xE9 : b)];
        }

        var error = Parser.Parse(line).Error!;

        Assert.Contains(error.Code, new[] { ParseErrorCodes.InvalidValue, ParseErrorCodes.MalformedJson });
        Assert.StartsWith("a property name is not valid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_event_id_is_rejected_without_an_event_id()
    {
        var error = Parser.Parse(Review.Replace("\"e-1\"", "\"e\\ud800\"", StringComparison.Ordinal)).Error!;

        Assert.Equal("INVALID_VALUE: \"eventId\" is not valid Unicode: the escape \\ud800 is half of a surrogate pair without its other half", error.ToString());
        Assert.Null(error.EventId);
    }

    [Theory]
    [InlineData("a\\u0000b", ParseErrorCodes.InvalidValue)]
    [InlineData("a\u0000b", ParseErrorCodes.MalformedJson)]
    public void Nul_in_an_id_is_rejected_whether_escaped_or_raw(string id, string code)
    {
        Assert.Equal(code, Parser.Parse(Review.Replace("\"L-1\"", $"\"{id}\"", StringComparison.Ordinal)).Error?.Code);
    }

    [Theory]
    [InlineData("\"identifiers\":{\"phone\":\"1\",\"phone\":\"2\"}", "identifiers.phone")]
    [InlineData("\"identifiers\":{\"phone\":\"1\",\"\\u0070hone\":\"2\"}", "identifiers.phone")]
    [InlineData("\"identifiers\":{\"phone\":\"1\"},\"identifiers\":{\"phone\":\"2\"}", "identifiers")]
    [InlineData("\"sellerId\":\"S-2\",\"identifiers\":{\"phone\":\"1\"}", "sellerId")]
    public void Duplicate_keys_are_rejected_at_every_level(string fields, string duplicate)
    {
        var line = Seller.Replace("\"identifiers\":{\"phone\":\"+33 6 12 34 56 78\",\"email\":\"a@b.example\"}", fields, StringComparison.Ordinal);

        var error = Parser.Parse(line).Error!;

        Assert.Equal($"MALFORMED_JSON: \"{duplicate}\" appears more than once", error.ToString());
        Assert.Equal("e-2", error.EventId);
    }

    [Fact]
    public void Duplicate_keys_in_a_price_map_are_rejected()
    {
        var line = """{"type":"brand.registered","schemaVersion":1,"eventId":"e-5","occurredAt":"2026-11-23T10:00:00Z","brandId":"B-1","name":"Acme","keywords":["acme"],"referencePrices":{"shoes":10,"shoes":1},"currency":"EUR"}""";

        Assert.Equal("MALFORMED_JSON: \"referencePrices.shoes\" appears more than once", Parser.Parse(line).Error!.ToString());
    }

    [Fact]
    public void Event_more_than_the_skew_ahead_of_the_clock_is_rejected_with_the_times_named()
    {
        var error = Parser.Parse(Review.Replace("2026-11-23T10:00:00Z", "9999-12-31T23:59:59Z", StringComparison.Ordinal), Now).Error!;

        Assert.Equal(
            "TIME_OUT_OF_RANGE: \"occurredAt\" is 9999-12-31T23:59:59Z, more than 1 day ahead of the server's clock (2026-11-23T12:00:00Z); an event is sent once it has happened",
            error.ToString());
        Assert.Equal("e-1", error.EventId);
        Assert.Equal("occurredAt", error.Field);
    }

    [Theory]
    [InlineData(23 * 60, true)]
    [InlineData(24 * 60, true)]
    [InlineData((24 * 60) + 1, false)]
    public void The_skew_is_measured_from_the_clock_given(int minutesAhead, bool accepted)
    {
        var at = Now.AddMinutes(minutesAhead).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        var result = Parser.Parse(Review.Replace("2026-11-23T10:00:00Z", at, StringComparison.Ordinal), Now);

        Assert.Equal(accepted, result.Succeeded);
    }

    [Fact]
    public void The_skew_is_configurable_and_unchecked_without_a_clock()
    {
        var line = Review.Replace("2026-11-23T10:00:00Z", "2026-11-23T12:10:00Z", StringComparison.Ordinal);
        var strict = TestHasher.Parser(new EventLimits { MaxFutureSkew = TimeSpan.FromMinutes(5) });

        Assert.Equal("TIME_OUT_OF_RANGE: \"occurredAt\" is 2026-11-23T12:10:00Z, more than 5 minutes ahead of the server's clock (2026-11-23T12:00:00Z); an event is sent once it has happened",
            strict.Parse(line, Now).Error!.ToString());
        Assert.True(strict.Parse(line).Succeeded);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("1969-12-31T23:59:59Z")]
    [InlineData("1970-01-01T00:30:00+01:00")]
    public void Times_before_1970_are_rejected(string time)
    {
        var error = Parser.Parse(Review.Replace("2026-11-23T10:00:00Z", time, StringComparison.Ordinal), Now).Error!;

        Assert.Equal(ParseErrorCodes.TimeOutOfRange, error.Code);
        Assert.EndsWith("before 1970-01-01T00:00:00Z, the earliest time accepted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Account_creation_time_before_1970_is_rejected_too()
    {
        var line = Review.Replace("\"text\":\"Great\"", "\"text\":\"Great\",\"accountCreatedAt\":\"0001-01-01T00:00:00Z\"", StringComparison.Ordinal);

        Assert.StartsWith("TIME_OUT_OF_RANGE: \"accountCreatedAt\" is 0001-01-01T00:00:00Z", Parser.Parse(line).Error!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_very_old_event_is_accepted_and_lands_in_its_own_past_without_moving_the_entity_clock()
    {
        var old = Assert.IsType<ReviewPosted>(Parser.Parse(Review.Replace("2026-11-23T10:00:00Z", "1970-01-01T00:00:00Z", StringComparison.Ordinal).Replace("\"e-1\"", "\"e-old\"", StringComparison.Ordinal), Now).Event);
        var recent = Assert.IsType<ReviewPosted>(Parser.Parse(Review.Replace("\"R-1\"", "\"R-2\"", StringComparison.Ordinal), Now).Event);

        var market = new InMemoryMarketplace().ApplyAll([recent, old]);

        var listing = market.Listing("L-1");
        Assert.Equal(recent.OccurredAt, listing.Clock);
        Assert.Equal(2, listing.EventsApplied);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_malformed_however_deep()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);
        var parser = TestHasher.Parser(new EventLimits { MaxLineBytes = 1 << 20 });

        var error = parser.Parse(Review.Replace("\"Great\"", deep, StringComparison.Ordinal)).Error!;

        Assert.Equal(ParseErrorCodes.MalformedJson, error.Code);
        Assert.Contains("depth", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
