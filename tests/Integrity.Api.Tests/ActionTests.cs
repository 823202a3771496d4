using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Integrity.Api.Tests;

/// <summary>Analyst actions over HTTP: each changes the grain's state, is audited with who, when and why, and updates the lists.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class ActionTests(ApiHostFixture host)
{
    [Fact]
    public async Task Reversal_moves_the_seller_one_step_down_and_reinstatement_to_None_each_audited_and_reflected_in_the_lists()
    {
        var scenario = new Scenarios("act1").Brushing();
        await host.IngestAsync(scenario);
        var before = await host.WaitForAsync($"/v1/sellers/{scenario.Seller}", v => v.GetProperty("level").GetInt32() >= 3, TimeSpan.FromSeconds(60));
        var lastStep = before.GetProperty("history").EnumerateArray().Last();
        var auditBefore = await AuditCountAsync(scenario.Seller);
        using var http = QueryTests.Analyst(host);

        using var reversed = await http.PostAsync(new Uri($"/v1/sellers/{scenario.Seller}/actions", UriKind.Relative),
            QueryTests.Json("""{"action":"reverse","note":"Refunds were a carrier failure","actionId":"act1-reverse"}"""));
        var afterReverse = await reversed.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, reversed.StatusCode);
        Assert.Equal(lastStep.GetProperty("fromLevel").GetInt32(), afterReverse.GetProperty("level").GetInt32());
        var last = afterReverse.GetProperty("lastAction");
        Assert.Equal("analyst_reverse", last.GetProperty("origin").GetString());
        Assert.StartsWith("Reversed by alice (key ", last.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(lastStep.GetProperty("decisionId").GetString(), afterReverse.GetProperty("history").EnumerateArray().Last().GetProperty("reverses").GetString());
        var reverseRow = afterReverse.GetProperty("recentDecisions").EnumerateArray().First();
        Assert.Equal("action", reverseRow.GetProperty("kind").GetString());
        Assert.Equal("Refunds were a carrier failure", reverseRow.GetProperty("details").GetProperty("note").GetString());
        Assert.StartsWith("alice (key ", reverseRow.GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.Equal(auditBefore + 1, await AuditCountAsync(scenario.Seller));
        await host.WaitForAsync("/v1/cases?kind=seller&limit=200", p => !p.GetProperty("items").EnumerateArray().Any(e => e.GetProperty("id").GetString() == scenario.Seller), TimeSpan.FromSeconds(10));

        using var reinstated = await http.PostAsync(new Uri($"/v1/sellers/{scenario.Seller}/actions", UriKind.Relative),
            QueryTests.Json("""{"action":"reinstate","note":"Appeal upheld"}"""));
        var afterReinstate = await reinstated.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, reinstated.StatusCode);
        Assert.Equal(0, afterReinstate.GetProperty("level").GetInt32());
        Assert.Equal("None", afterReinstate.GetProperty("step").GetString());
        Assert.Equal("analyst_reinstate", afterReinstate.GetProperty("lastAction").GetProperty("origin").GetString());
        Assert.Equal(auditBefore + 2, await AuditCountAsync(scenario.Seller));
        await host.WaitForAsync("/v1/top-risk?kind=seller&limit=200", p => !p.GetProperty("items").EnumerateArray().Any(e => e.GetProperty("id").GetString() == scenario.Seller), TimeSpan.FromSeconds(10));
        var actions = await host.WaitForAsync($"/v1/decisions?kind=seller&type=action&limit=200",
            p => p.GetProperty("items").EnumerateArray().Count(d => d.GetProperty("entityId").GetString() == scenario.Seller) == 2, TimeSpan.FromSeconds(10));
        Assert.Equal(["analyst_reinstate", "analyst_reverse"],
            actions.GetProperty("items").EnumerateArray().Where(d => d.GetProperty("entityId").GetString() == scenario.Seller).Select(d => d.GetProperty("origin").GetString()));
    }

    [Fact]
    public async Task Retrying_an_action_with_the_same_action_id_records_it_once()
    {
        await host.IngestAsync(new Scenarios("act2").CleanSeller("S-retry-act2"));
        await host.WaitForAsync("/v1/sellers/S-retry-act2", v => v.GetProperty("kind").GetString() == "seller", TimeSpan.FromSeconds(30));
        using var http = QueryTests.Analyst(host);

        for (var i = 0; i < 2; i++)
        {
            using var response = await http.PostAsync(new Uri("/v1/sellers/S-retry-act2/actions", UriKind.Relative),
                QueryTests.Json("""{"action":"confirm","actionId":"confirm-once"}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var history = await http.GetFromJsonAsync<JsonElement>(new Uri("/v1/sellers/S-retry-act2/history", UriKind.Relative));
        Assert.Single(history.GetProperty("entries").EnumerateArray(), e => e.GetProperty("kind").GetString() == "action");
    }

    [Fact]
    public async Task Override_with_a_two_second_expiry_ends_by_itself()
    {
        await host.IngestAsync(new Scenarios("act3").CleanSeller("S-pin-act3"));
        await host.WaitForAsync("/v1/sellers/S-pin-act3", v => v.GetProperty("kind").GetString() == "seller", TimeSpan.FromSeconds(30));
        using var http = QueryTests.Analyst(host, "bob");
        var until = DateTimeOffset.UtcNow.AddSeconds(2);

        using var response = await http.PostAsync(new Uri("/v1/sellers/S-pin-act3/actions", UriKind.Relative),
            QueryTests.Json($$"""{"action":"override","level":2,"until":"{{until:O}}","note":"Hold new listings while we check"}"""));
        var pinned = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, pinned.GetProperty("level").GetInt32());
        Assert.Equal(2, pinned.GetProperty("override").GetProperty("level").GetInt32());
        Assert.Equal(until, pinned.GetProperty("override").GetProperty("until").GetDateTimeOffset());

        var ended = await host.WaitForAsync("/v1/sellers/S-pin-act3", v => v.GetProperty("override").ValueKind == JsonValueKind.Null, TimeSpan.FromSeconds(20));
        Assert.True(DateTimeOffset.UtcNow >= until);
        Assert.Equal("analyst_override", ended.GetProperty("lastAction").GetProperty("origin").GetString());
        var history = await http.GetFromJsonAsync<JsonElement>(new Uri("/v1/sellers/S-pin-act3/history", UriKind.Relative));
        var audited = history.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "action");
        Assert.Equal(until, audited.GetProperty("details").GetProperty("expiresAt").GetDateTimeOffset());
        Assert.StartsWith("bob (key ", audited.GetProperty("actor").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_action_the_entity_cannot_take_is_409_with_the_reason()
    {
        await host.IngestAsync(new Scenarios("act4").CleanSeller("S-clean-act4"));
        await host.WaitForAsync("/v1/sellers/S-clean-act4", v => v.GetProperty("kind").GetString() == "seller", TimeSpan.FromSeconds(30));
        using var http = QueryTests.Analyst(host);

        using var response = await http.PostAsync(new Uri("/v1/sellers/S-clean-act4/actions", UriKind.Relative), QueryTests.Json("""{"action":"reverse","note":"nothing to undo"}"""));

        await QueryTests.AssertProblemAsync(response, HttpStatusCode.Conflict, "has no step to reverse");
    }

    [Fact]
    public async Task Action_on_an_unknown_entity_is_404()
    {
        using var http = QueryTests.Analyst(host);

        using var response = await http.PostAsync(new Uri("/v1/listings/L-never-seen/actions", UriKind.Relative), QueryTests.Json("""{"action":"note","note":"x"}"""));

        await QueryTests.AssertProblemAsync(response, HttpStatusCode.NotFound, "No listing 'L-never-seen' is known");
    }

    [Theory]
    [InlineData("""{"action":"ban","note":"x"}""", "\"action\" must be one of confirm, reverse, reinstate, override, note; got 'ban'")]
    [InlineData("""{"action":"reinstate"}""", "\"note\" is required for reinstate")]
    [InlineData("""{"action":"override","note":"x"}""", "An override needs \"level\" between 0 and 5")]
    [InlineData("""{"action":"override","note":"x","level":9}""", "An override needs \"level\" between 0 and 5")]
    [InlineData("""{"action":"override","note":"x","level":1,"until":"2020-01-01T00:00:00Z"}""", "\"until\" must be in the future")]
    [InlineData("""{"action":"note","note":"x","level":1}""", "belong to an override only")]
    [InlineData("""{"action":"note","note":"x","actionId":"has space"}""", "\"actionId\" must be 1 to 64")]
    [InlineData("""{"action":"note","note":"x""", "The body is not a valid action")]
    [InlineData("""[1,2]""", "The body is not a valid action")]
    public async Task Bad_action_is_400_with_a_clear_problem(string body, string detail)
    {
        using var http = QueryTests.Analyst(host);

        using var response = await http.PostAsync(new Uri($"/v1/sellers/{host.Seller}/actions", UriKind.Relative), QueryTests.Json(body));

        await QueryTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, detail);
    }

    [Theory]
    [InlineData(null, "Name the analyst in the X-Analyst header")]
    [InlineData("alice@example.com", "Name the analyst in the X-Analyst header")]
    public async Task Action_without_a_valid_analyst_handle_is_400(string? analyst, string detail)
    {
        using var http = host.Client(Integrity.Testing.TestSecrets.AnalystKey);
        if (analyst is not null)
        {
            http.DefaultRequestHeaders.Add("X-Analyst", analyst);
        }

        using var response = await http.PostAsync(new Uri($"/v1/sellers/{host.Seller}/actions", UriKind.Relative), QueryTests.Json("""{"action":"note","note":"x"}"""));

        await QueryTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task Action_in_another_content_type_is_415()
    {
        using var http = QueryTests.Analyst(host);

        using var response = await http.PostAsync(new Uri($"/v1/sellers/{host.Seller}/actions", UriKind.Relative),
            new StringContent("action=note", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        await QueryTests.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "Send the action as application/json");
    }

    private async Task<int> AuditCountAsync(string seller)
    {
        using var http = host.Client();
        var history = await http.GetFromJsonAsync<JsonElement>(new Uri($"/v1/sellers/{seller}/history", UriKind.Relative));
        return history.GetProperty("entries").GetArrayLength();
    }
}
