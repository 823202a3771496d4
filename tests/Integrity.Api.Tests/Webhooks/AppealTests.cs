using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Integrity.Domain.Webhooks;
using Integrity.Testing;

namespace Integrity.Api.Tests.Webhooks;

/// <summary>
/// Appeals end to end on a real host process and Azurite: a platform files <c>appeal.filed</c> on the event stream, the
/// case opens in the appeals queue with the decision it contests and that decision's evidence, an analyst reverses it
/// over HTTP, and the step down is audited and delivered, signed, to a webhook receiver on loopback. Every expectation
/// is a condition waited for.
/// </summary>
[Collection(WebhookHostCollection.Name)]
public sealed class AppealTests(WebhookHostFixture fixture)
{
    private const string Secret = "whsec-appeals-0123456789abcdef0123456789ab";

    [Fact]
    public async Task An_appeal_opens_a_case_and_its_reversal_steps_the_seller_down_is_audited_and_is_delivered_by_webhook()
    {
        await using var receiver = new LoopbackReceiver();
        await fixture.StartHostAsync(WebhookHostFixture.ConfiguredEndpoint("platform-appeals", receiver, Secret));
        var scenario = new Scenarios("ap-1").Brushing();
        await fixture.IngestAsync(scenario);
        await fixture.WaitSettledAsync();
        var seller = await fixture.WaitForAsync($"/v1/sellers/{scenario.Seller}", v => v.GetProperty("level").GetInt32() >= 3);
        var contested = seller.GetProperty("history").EnumerateArray().Last(h => h.GetProperty("origin").GetString() == "automatic");
        var contestedId = contested.GetProperty("decisionId").GetString()!;

        // Filed on the event stream, like every other event.
        await fixture.IngestAsync(new Scenarios("ap-1").Appeal("AP-1-ap-1", "seller", scenario.Seller,
            "The refunds were a carrier's failure, not fake orders; the carrier's letter is attached.",
            ["https://platform.example/appeals/AP-1/carrier-letter.pdf", "DOC-4711"]));

        // The case opens in the queue, with the step it contests.
        var queue = await fixture.WaitForAsync("/v1/appeals?kind=seller&limit=200", p => Open(p, "AP-1-ap-1") is not null);
        var queued = Open(queue, "AP-1-ap-1")!.Value;
        Assert.Equal(scenario.Seller, queued.GetProperty("id").GetString());
        Assert.Equal(contestedId, queued.GetProperty("decisionId").GetString());
        Assert.Equal(contested.GetProperty("toLevel").GetInt32(), queued.GetProperty("contestedLevel").GetInt32());
        Assert.Equal(2, queued.GetProperty("attachments").GetInt32());
        Assert.NotEmpty(queued.GetProperty("reasonCodes").EnumerateArray());

        // The case: statement, references, and the contested decision as audited, with its evidence.
        var opened = await fixture.WaitForAsync($"/v1/sellers/{scenario.Seller}/appeals/AP-1-ap-1", c => c.GetProperty("contestedDecision").ValueKind == JsonValueKind.Object);
        Assert.Equal(["https://platform.example/appeals/AP-1/carrier-letter.pdf", "DOC-4711"],
            opened.GetProperty("appeal").GetProperty("attachments").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(JsonValueKind.Null, opened.GetProperty("appeal").GetProperty("outcome").ValueKind);
        var evidence = opened.GetProperty("contestedDecision");
        Assert.Equal(contestedId, evidence.GetProperty("entryId").GetString());
        Assert.False(string.IsNullOrEmpty(evidence.GetProperty("policyVersion").GetString()));
        Assert.Contains(evidence.GetProperty("details").GetProperty("reasons").EnumerateArray(), r => r.GetProperty("eventIds").GetArrayLength() > 0);
        Assert.NotEmpty(evidence.GetProperty("details").GetProperty("triggeringEventIds").EnumerateArray());

        // An analyst reverses it.
        using var analyst = fixture.Client(TestSecrets.AnalystKey);
        analyst.DefaultRequestHeaders.Add("X-Analyst", "alice");
        using var answer = await analyst.PostAsJsonAsync($"/v1/sellers/{scenario.Seller}/appeals/AP-1-ap-1/outcome",
            new { outcome = "reversed", note = "Carrier letter checks out", actionId = "ap-1-reverse" });
        var decided = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, decided.ToString());
        Assert.Equal(contested.GetProperty("fromLevel").GetInt32(), decided.GetProperty("level").GetInt32());
        Assert.Equal("reversed", decided.GetProperty("appeal").GetProperty("outcome").GetString());
        var outcomeId = decided.GetProperty("appeal").GetProperty("outcomeDecisionId").GetString()!;

        // The entity's real step went down, with the reversal in its history.
        var after = await fixture.WaitForAsync($"/v1/sellers/{scenario.Seller}", _ => true);
        Assert.Equal(contested.GetProperty("fromLevel").GetInt32(), after.GetProperty("level").GetInt32());
        var last = after.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("appeal_reversed", contestedId), (last.GetProperty("origin").GetString(), last.GetProperty("reverses").GetString()));

        // Audited: the filing and the outcome, in the entity's trail.
        var trail = await fixture.WaitForAsync($"/v1/sellers/{scenario.Seller}/history", _ => true);
        var entries = trail.GetProperty("entries").EnumerateArray().ToList();
        Assert.Contains(entries, e => e.GetProperty("kind").GetString() == "appeal" && e.GetProperty("entryId").GetString() == "appeal/AP-1-ap-1");
        var audited = Assert.Single(entries, e => e.GetProperty("entryId").GetString() == outcomeId);
        Assert.Equal("action", audited.GetProperty("kind").GetString());
        Assert.Equal(("appeal_reversed", "AP-1-ap-1", "Carrier letter checks out"),
            (audited.GetProperty("details").GetProperty("origin").GetString(), audited.GetProperty("details").GetProperty("appealId").GetString(),
                audited.GetProperty("details").GetProperty("note").GetString()));
        Assert.StartsWith("alice (key ", audited.GetProperty("actor").GetString(), StringComparison.Ordinal);

        // Delivered, signed, with the appeal named.
        await fixture.WaitUntilAsync(() => receiver.AcceptedRequests.Any(r => r.DeliveryId == outcomeId), "the appeal's outcome delivered");
        var delivery = receiver.AcceptedRequests.First(r => r.DeliveryId == outcomeId);
        Assert.True(WebhookSignature.Verify(delivery.Signature!, Secret, delivery.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        var body = delivery.Json;
        Assert.Equal(("action", scenario.Seller, contested.GetProperty("fromLevel").GetInt32()),
            (body.GetProperty("type").GetString(), body.GetProperty("entity").GetProperty("id").GetString(), body.GetProperty("level").GetInt32()));
        Assert.Equal(("appeal_reversed", "AP-1-ap-1", contestedId),
            (body.GetProperty("details").GetProperty("origin").GetString(), body.GetProperty("details").GetProperty("appealId").GetString(),
                body.GetProperty("details").GetProperty("triggeringEventIds").EnumerateArray().Last().GetString()));

        // The case left the queue, and deciding it again is refused.
        await fixture.WaitForAsync("/v1/appeals?kind=seller&limit=200", p => Open(p, "AP-1-ap-1") is null);
        using var again = await analyst.PostAsJsonAsync($"/v1/sellers/{scenario.Seller}/appeals/AP-1-ap-1/outcome", new { outcome = "upheld", note = "second thoughts" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task An_appeal_the_entity_cannot_take_is_dead_lettered_with_its_reason_and_opens_no_case()
    {
        await fixture.StartHostAsync(new Dictionary<string, string>());
        var clean = new Scenarios("ap-2").CleanSeller("S-clean-ap-2");
        await fixture.IngestAsync(clean);
        await fixture.WaitSettledAsync();

        await fixture.IngestAsync(new Scenarios("ap-2").Appeal("AP-nothing-ap-2", "seller", "S-clean-ap-2", "We did nothing wrong.", []));
        await fixture.WaitSettledAsync();

        var letters = new List<TableEntity>();
        var table = new TableServiceClient(fixture.StorageConnectionString).GetTableClient("DeadLetters");
        await foreach (var row in table.QueryAsync<TableEntity>("Source eq 'consumer'"))
        {
            letters.Add(row);
        }

        var letter = Assert.Single(letters, l => l.GetString("EventId") == "api-ap-2-appeal-AP-nothing-ap-2");
        Assert.Equal(("APPEAL_NOTHING_TO_CONTEST", "appeal.filed"), (letter.GetString("Code"), letter.GetString("EventType")));
        Assert.Contains("seller S-clean-ap-2 has no step in force to appeal", letter.GetString("Reason"), StringComparison.Ordinal);
        var queue = await fixture.WaitForAsync("/v1/appeals?limit=200", _ => true);
        Assert.DoesNotContain(queue.GetProperty("items").EnumerateArray(), a => a.GetProperty("id").GetString() == "S-clean-ap-2");
        using var viewer = fixture.Client();
        using var missing = await viewer.GetAsync(new Uri("/v1/sellers/S-clean-ap-2/appeals/AP-nothing-ap-2", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static JsonElement? Open(JsonElement page, string appealId) =>
        page.GetProperty("items").EnumerateArray().Where(a => a.GetProperty("appealId").GetString() == appealId).Select(a => (JsonElement?)a).FirstOrDefault();
}
