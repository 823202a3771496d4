using Integrity.Domain.Events;
using Integrity.Domain.Serialization;
using Integrity.Domain.Tests.Fixtures;
using Integrity.Domain.Wire;

namespace Integrity.Domain.Tests.Wire;

public sealed class EventParserTests
{
    private const string Review =
        """{"type":"review.posted","schemaVersion":1,"eventId":"e-1","occurredAt":"2026-11-23T10:00:00+01:00","reviewId":"R-1","listingId":"L-1","sellerId":"S-1","reviewerId":"C-1","rating":5,"text":"Great"}""";

    private static readonly EventParser Parser = TestHasher.Parser();

    [Fact]
    public void Valid_review_line_parses_into_a_review_posted_event_in_utc()
    {
        var result = Parser.Parse(Review);

        Assert.True(result.Succeeded, result.Error?.ToString());
        var review = Assert.IsType<ReviewPosted>(result.Event);
        Assert.Equal("e-1", review.EventId);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero), review.OccurredAt);
        Assert.Equal(TimeSpan.Zero, review.OccurredAt.Offset);
        Assert.Equal(5, review.Rating);
        Assert.False(review.IsVerified);
        Assert.Equal(
            [new(EntityKind.Listing, "L-1"), new(EntityKind.Seller, "S-1"), new(EntityKind.Reviewer, "C-1")],
            review.TouchedEntities().ToList());
    }

    [Fact]
    public void Clear_identifiers_are_replaced_by_keyed_hashes_and_never_reach_the_event()
    {
        var line = """{"type":"seller.registered","schemaVersion":1,"eventId":"e-2","occurredAt":"2026-11-23T10:00:00Z","sellerId":"S-1","identifiers":{"bankAccount":"FR76 3000 6000","phone":"+33 6 12 34 56 78","address":"12, Rue de la Paix"}}""";

        var seller = Assert.IsType<SellerRegistered>(Parser.Parse(line).Event);
        var json = DomainJson.Serialize<IntegrityEvent>(seller);

        Assert.DoesNotContain("3000", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Paix", json, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(32, seller.Identifiers.BankAccount!.Length);
        Assert.Equal(TestHasher.Instance.Hash(IdentifierKind.Phone, "0033612345678"), seller.Identifiers.Phone);
        Assert.Equal(TestHasher.Instance.Hash(IdentifierKind.Address, "12 rue de la paix"), seller.Identifiers.Address);
    }

    [Fact]
    public void Order_ship_to_hashes_like_a_seller_address_so_self_shipping_is_visible()
    {
        var order = Assert.IsType<OrderPlaced>(Parser.Parse(
            """{"type":"order.placed","schemaVersion":1,"eventId":"e-3","occurredAt":"2026-11-23T10:00:00Z","orderId":"O-1","listingId":"L-1","sellerId":"S-1","buyerId":"C-1","amount":10.5,"currency":"EUR","shipTo":"12 rue de la Paix","payment":"fp-1"}""").Event);

        Assert.Equal(TestHasher.Instance.Hash(IdentifierKind.Address, "12, RUE DE LA PAIX."), order.ShipToHash);
        Assert.Equal(10.5m, order.Amount);
    }

    [Fact]
    public void Hashes_depend_on_the_key()
    {
        var other = new IdentifierHasher("another-key-0123456789abcdef0000"u8);

        Assert.NotEqual(TestHasher.Instance.Hash(IdentifierKind.Email, "a@b.example"), other.Hash(IdentifierKind.Email, "a@b.example"));
    }

    [Theory]
    [InlineData("{not json", "MALFORMED_JSON")]
    [InlineData("[1,2]", "MALFORMED_JSON")]
    [InlineData("""{"type":"review.posted"} {}""", "MALFORMED_JSON")]
    [InlineData("""{"type":"foo.bar","schemaVersion":1,"eventId":"e-9"}""", "UNKNOWN_TYPE")]
    [InlineData("""{"schemaVersion":1,"eventId":"e-9"}""", "MISSING_FIELD")]
    [InlineData("""{"type":"review.posted","schemaVersion":7,"eventId":"e-9"}""", "UNSUPPORTED_SCHEMA_VERSION")]
    [InlineData("""{"type":"review.posted","schemaVersion":"1","eventId":"e-9"}""", "INVALID_VALUE")]
    public void Envelope_problems_are_rejected_with_their_code(string line, string code)
    {
        var result = Parser.Parse(line);

        Assert.False(result.Succeeded);
        Assert.Equal(code, result.Error.Code);
    }

    [Fact]
    public void Unknown_type_names_the_type_and_keeps_the_event_id()
    {
        var error = Parser.Parse("""{"type":"foo.bar","schemaVersion":1,"eventId":"e-9"}""").Error!;

        Assert.Equal("UNKNOWN_TYPE: \"foo.bar\" is not an event type", error.ToString());
        Assert.Equal("e-9", error.EventId);
    }

    [Fact]
    public void Unsupported_schema_version_says_which_versions_are_supported()
    {
        var error = Parser.Parse(Review.Replace("\"schemaVersion\":1", "\"schemaVersion\":7", StringComparison.Ordinal)).Error!;

        Assert.Equal("UNSUPPORTED_SCHEMA_VERSION: review.posted supports schemaVersion 1, got 7", error.ToString());
    }

    [Fact]
    public void Missing_field_is_named()
    {
        var error = Parser.Parse(Review.Replace("\"listingId\":\"L-1\",", "", StringComparison.Ordinal)).Error!;

        Assert.Equal("MISSING_FIELD: \"listingId\" is required", error.ToString());
        Assert.Equal("listingId", error.Field);
        Assert.Equal("e-1", error.EventId);
    }

    [Theory]
    [InlineData("\"rating\":5", "\"rating\":6", "INVALID_VALUE: \"rating\" must be an integer 1..5")]
    [InlineData("\"rating\":5", "\"rating\":4.5", "INVALID_VALUE: \"rating\" must be an integer 1..5")]
    [InlineData("\"listingId\":\"L-1\"", "\"listingId\":\"L 1\"", "INVALID_VALUE: \"listingId\" may contain only printable ASCII without spaces, '/', '\\', '#' or '?'")]
    [InlineData("\"listingId\":\"L-1\"", "\"listingId\":\"\"", "INVALID_VALUE: \"listingId\" must not be empty")]
    [InlineData("\"listingId\":\"L-1\"", "\"listingId\":42", "INVALID_VALUE: \"listingId\" must be a string")]
    [InlineData("2026-11-23T10:00:00+01:00", "2026-11-23T10:00:00", "INVALID_VALUE: \"occurredAt\" must be an ISO 8601 time with an offset, e.g. \"2026-11-23T10:00:00Z\"")]
    [InlineData("\"text\":\"Great\"", "\"text\":\"Great\",\"colour\":\"red\"", "UNKNOWN_FIELD: \"colour\" is not a field of review.posted v1")]
    [InlineData("\"text\":\"Great\"", "\"text\":\"Great\",\"rating\":4", "MALFORMED_JSON: \"rating\" appears more than once")]
    public void Invalid_field_values_are_rejected_with_the_field_named(string find, string replace, string expected)
    {
        var error = Parser.Parse(Review.Replace(find, replace, StringComparison.Ordinal)).Error!;

        Assert.Equal(expected, error.ToString());
    }

    [Fact]
    public void Text_over_the_limit_is_too_long()
    {
        var error = Parser.Parse(Review.Replace("Great", new string('x', 4001), StringComparison.Ordinal)).Error!;

        Assert.Equal("TOO_LONG: \"text\" exceeds 4000 characters", error.ToString());
    }

    [Fact]
    public void Line_over_the_byte_limit_is_too_long_before_any_parsing()
    {
        var parser = TestHasher.Parser(new EventLimits { MaxLineBytes = 100 });

        var error = parser.Parse(Review).Error!;

        Assert.Equal(ParseErrorCodes.TooLong, error.Code);
        Assert.StartsWith("the line is", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Collections_over_the_limit_are_too_many()
    {
        var parser = TestHasher.Parser(new EventLimits { MaxCollectionCount = 2 });
        var line = """{"type":"brand.registered","schemaVersion":1,"eventId":"e-5","occurredAt":"2026-11-23T10:00:00Z","brandId":"B-1","name":"Acme","keywords":["a","b","c"],"currency":"EUR"}""";

        Assert.Equal("TOO_MANY: \"keywords\" has 3 items, limit 2", parser.Parse(line).Error!.ToString());
    }

    [Fact]
    public void Unknown_enum_value_lists_the_allowed_values()
    {
        var line = """{"type":"complaint.filed","schemaVersion":1,"eventId":"e-6","occurredAt":"2026-11-23T10:00:00Z","complaintId":"CP-1","kind":"rude","listingId":"L-1","sellerId":"S-1","complainantId":"C-1"}""";

        Assert.Equal(
            "INVALID_VALUE: \"kind\" must be one of counterfeit, not_as_described, non_delivery, quality, other, got \"rude\"",
            Parser.Parse(line).Error!.ToString());
    }

    [Fact]
    public void Appeal_carries_its_entity_statement_attachment_references_and_contested_decision()
    {
        var line = """{"type":"appeal.filed","schemaVersion":1,"eventId":"e-a1","occurredAt":"2026-11-23T10:00:00Z","appealId":"AP-1","entityKind":"seller","entityId":"S-1","statement":"Not fake orders.","attachments":["https://p.example/docs/1.pdf","DOC-7"],"decisionId":"seller/S-1/3/e-9"}""";

        var appeal = Assert.IsType<AppealFiled>(Parser.Parse(line).Event);

        Assert.Equal(("AP-1", EntityKind.Seller, "S-1", "Not fake orders.", "seller/S-1/3/e-9"), (appeal.AppealId, appeal.EntityKind, appeal.EntityId, appeal.Statement, appeal.DecisionId));
        Assert.Equal(["https://p.example/docs/1.pdf", "DOC-7"], appeal.Attachments);
        Assert.Equal([new EntityRef(EntityKind.Seller, "S-1")], appeal.TouchedEntities());
    }

    [Theory]
    [InlineData("\"attachments\":[\"https://p.example/1\",\"data:application/pdf;base64,JVBERi0xLjQK\"]", "INVALID_VALUE: \"attachments[1]\" must be an http(s) URL or a document id")]
    [InlineData("\"attachments\":[\"\"]", "INVALID_VALUE: \"attachments[0]\" must be a non-empty string")]
    [InlineData("\"attachments\":\"https://p.example/1\"", "INVALID_VALUE: \"attachments\" must be an array")]
    [InlineData("\"entityKind\":\"brand\"", "INVALID_VALUE: \"entityKind\" must be one of seller, listing, reviewer, got \"brand\"")]
    [InlineData("\"statement\":\" \"", "INVALID_VALUE: \"statement\" must not be empty")]
    [InlineData("\"decisionId\":\"seller/S 1\"", "INVALID_VALUE: \"decisionId\" must be a decision id")]
    public void Bad_appeal_fields_are_named(string replacement, string expected)
    {
        var fields = new Dictionary<string, string>
        {
            ["entityKind"] = "\"entityKind\":\"seller\"",
            ["statement"] = "\"statement\":\"Not fake orders.\"",
            ["attachments"] = "\"attachments\":[]",
        };
        var name = replacement[1..replacement.IndexOf('"', 1)];
        fields[name] = replacement;
        var line = $$"""{"type":"appeal.filed","schemaVersion":1,"eventId":"e-a2","occurredAt":"2026-11-23T10:00:00Z","appealId":"AP-2","entityId":"S-1",{{string.Join(',', fields.Values)}}}""";

        Assert.StartsWith(expected, Parser.Parse(line).Error!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void More_attachments_than_the_limit_are_too_many()
    {
        var refs = string.Join(',', Enumerable.Range(0, 21).Select(i => $"\"DOC-{i}\""));
        var line = $$"""{"type":"appeal.filed","schemaVersion":1,"eventId":"e-a3","occurredAt":"2026-11-23T10:00:00Z","appealId":"AP-3","entityKind":"listing","entityId":"L-1","statement":"x","attachments":[{{refs}}]}""";

        Assert.Equal("TOO_MANY: \"attachments\" has 21 items, limit 20", Parser.Parse(line).Error!.ToString());
    }

    [Fact]
    public void Unknown_identifier_field_is_rejected_with_its_path()
    {
        var line = """{"type":"seller.updated","schemaVersion":1,"eventId":"e-7","occurredAt":"2026-11-23T10:00:00Z","sellerId":"S-1","identifiers":{"iban":"x"}}""";

        Assert.StartsWith("UNKNOWN_FIELD: \"identifiers.iban\"", Parser.Parse(line).Error!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_malformed()
    {
        var line = """{"type":"review.posted","x":[[[[[[[[[[1]]]]]]]]]]}""";

        Assert.Equal(ParseErrorCodes.MalformedJson, Parser.Parse(line).Error!.Code);
    }

    [Fact]
    public void Order_placed_requires_ship_to_and_payment_but_later_order_events_do_not()
    {
        const string Body = "\"orderId\":\"O-1\",\"listingId\":\"L-1\",\"sellerId\":\"S-1\",\"buyerId\":\"C-1\",\"amount\":1,\"currency\":\"EUR\"";

        var placed = Parser.Parse($$"""{"type":"order.placed","schemaVersion":1,"eventId":"e-8","occurredAt":"2026-11-23T10:00:00Z",{{Body}}}""");
        var refunded = Parser.Parse($$"""{"type":"order.refunded","schemaVersion":1,"eventId":"e-9","occurredAt":"2026-11-23T10:00:00Z",{{Body}}}""");

        Assert.Equal("MISSING_FIELD: \"shipTo\" is required", placed.Error!.ToString());
        Assert.IsType<OrderRefunded>(refunded.Event);
    }
}
