using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Integrity.Testing;

namespace Integrity.Api.Tests;

/// <summary>Reading entities and lists: views with reasons and recent decisions, history, paging, 404 and 400 answers.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class QueryTests(ApiHostFixture host)
{
    [Fact]
    public async Task Seller_view_has_step_score_reasons_with_evidence_history_and_recent_decisions_without_clear_identifiers()
    {
        using var http = host.Client();
        var body = await http.GetStringAsync(new Uri($"/v1/sellers/{host.Seller}", UriKind.Relative));
        var view = JsonDocument.Parse(body).RootElement;

        Assert.Equal("seller", view.GetProperty("kind").GetString());
        Assert.True(view.GetProperty("level").GetInt32() >= 3);
        Assert.Equal(["None", "Warning", "NewListingsBlocked", "PayoutsHeld", "Suspended", "Closed"], view.GetProperty("ladder").EnumerateArray().Select(s => s.GetString()));
        var brushing = view.GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "BRUSHING");
        Assert.NotEmpty(brushing.GetProperty("message").GetString()!);
        Assert.NotEmpty(brushing.GetProperty("eventIds").EnumerateArray());
        Assert.Contains(view.GetProperty("history").EnumerateArray(), h => h.GetProperty("origin").GetString() == "automatic");
        var recent = view.GetProperty("recentDecisions").EnumerateArray().ToList();
        Assert.NotEmpty(recent);
        Assert.All(recent.Where(d => d.GetProperty("kind").GetString() == "decision"), d => Assert.Equal(host.Seller, d.GetProperty("details").GetProperty("entityId").GetString()));
        Assert.Contains(recent, d => d.GetProperty("kind").GetString() == "decision");
        Assert.Equal(JsonValueKind.Object, view.GetProperty("state").ValueKind);

        // Identifiers were sent in clear at ingest; only their keyed hashes may come back.
        Assert.DoesNotContain("FR76 1111", body, StringComparison.Ordinal);
        Assert.DoesNotContain("warehouse road", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("dev-seed", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_gives_score_over_time_and_every_audited_decision_oldest_first()
    {
        var history = await host.WaitForAsync($"/v1/sellers/{host.Seller}/history", h => h.GetProperty("entries").GetArrayLength() >= 2, TimeSpan.FromSeconds(10));

        var entries = history.GetProperty("entries").EnumerateArray().ToList();
        var scores = history.GetProperty("scores").EnumerateArray().ToList();
        Assert.True(scores.Count >= 2);
        Assert.Equal(entries.Select(e => e.GetProperty("occurredAt").GetDateTimeOffset()).Order(), entries.Select(e => e.GetProperty("occurredAt").GetDateTimeOffset()));
        Assert.Contains(entries, e => e.GetProperty("kind").GetString() == "decision" && e.GetProperty("step").GetString() == "PayoutsHeld");
        Assert.True(scores[^1].GetProperty("score").GetDouble() > 0);
    }

    [Theory]
    [InlineData("sellers", "S-never-seen", "No seller 'S-never-seen' is known")]
    [InlineData("listings", "L-never-seen", "No listing 'L-never-seen' is known")]
    [InlineData("reviewers", "C-never-seen", "No reviewer 'C-never-seen' is known")]
    [InlineData("sellers", "S-never-seen/history", "No seller 'S-never-seen' is known")]
    public async Task Unknown_entity_is_404_with_a_clear_problem(string kinds, string path, string detail)
    {
        using var http = host.Client();
        using var response = await http.GetAsync(new Uri($"/v1/{kinds}/{path}", UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, detail);
    }

    [Theory]
    [InlineData("/v1/sellers/bad%20id", "is not a seller id")]
    [InlineData("/v1/listings/%C3%A9t%C3%A9", "printable ASCII")]
    [InlineData("/v1/sellers/S-1/history?from=yesterday", "\"from\" must be an ISO 8601 time")]
    [InlineData("/v1/sellers/S-1/history?limit=0", "\"limit\" must be a whole number")]
    [InlineData("/v1/decisions?limit=abc", "\"limit\" must be a whole number from 1 to 200")]
    [InlineData("/v1/decisions?limit=201", "\"limit\" must be a whole number from 1 to 200")]
    [InlineData("/v1/decisions?kind=shop", "\"kind\" must be one of seller, listing, reviewer")]
    [InlineData("/v1/decisions?type=verdict", "\"type\" must be one of decision, action, note")]
    [InlineData("/v1/decisions?from=2026-11-02T00:00:00", "with an offset")]
    [InlineData("/v1/decisions?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "must be before")]
    [InlineData("/v1/decisions?continuation=garbage", "continuation token")]
    [InlineData("/v1/top-risk", "\"kind\" is required")]
    [InlineData("/v1/top-risk?kind=brand", "\"kind\" is required: one of seller, listing, reviewer; got 'brand'")]
    [InlineData("/v1/cases?kind=brand", "\"kind\" must be one of")]
    public async Task Bad_parameters_are_400_with_a_clear_problem(string path, string detail)
    {
        using var http = host.Client();
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task A_continuation_of_one_list_is_refused_by_another()
    {
        using var http = host.Client();
        await host.WaitForAsync("/v1/decisions?limit=1", p => p.GetProperty("continuation").ValueKind == JsonValueKind.String, TimeSpan.FromSeconds(10));
        var page = await http.GetFromJsonAsync<JsonElement>(new Uri("/v1/decisions?limit=1", UriKind.Relative));
        var token = page.GetProperty("continuation").GetString();

        using var response = await http.GetAsync(new Uri($"/v1/cases?continuation={token}", UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "not one this list issued");
    }

    [Fact]
    public async Task Decisions_page_newest_first_through_continuation_tokens_without_gaps_or_repeats()
    {
        using var http = host.Client();
        var all = await http.GetFromJsonAsync<JsonElement>(new Uri("/v1/decisions?kind=seller&limit=200", UriKind.Relative));
        var expected = all.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("entryId").GetString()).ToList();
        Assert.True(expected.Count >= 2, "the seed seller was stepped up at least twice");

        var paged = new List<string?>();
        string? continuation = null;
        do
        {
            var page = await http.GetFromJsonAsync<JsonElement>(new Uri($"/v1/decisions?kind=seller&limit=1{(continuation is null ? "" : "&continuation=" + continuation)}", UriKind.Relative));
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.True(items.Count <= 1);
            paged.AddRange(items.Select(d => d.GetProperty("entryId").GetString()));
            continuation = page.GetProperty("continuation").GetString();
        }
        while (continuation is not null && paged.Count < expected.Count + 5);

        Assert.Equal(expected.Take(paged.Count), paged);
        Assert.True(paged.Count >= expected.Count);
        var times = all.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("occurredAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task Decisions_filter_by_time_range_entity_kind_and_type()
    {
        using var http = host.Client();
        var seed = await http.GetFromJsonAsync<JsonElement>(new Uri($"/v1/sellers/{host.Seller}/history", UriKind.Relative));
        var first = seed.GetProperty("entries").EnumerateArray().First(e => e.GetProperty("kind").GetString() == "decision");
        var at = first.GetProperty("occurredAt").GetDateTimeOffset();
        var from = Uri.EscapeDataString(at.ToString("O"));
        var to = Uri.EscapeDataString(at.AddTicks(1).ToString("O"));

        var page = await http.GetFromJsonAsync<JsonElement>(new Uri($"/v1/decisions?kind=seller&type=decision&from={from}&to={to}", UriKind.Relative));

        var ids = page.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("entryId").GetString()).ToList();
        Assert.Contains(first.GetProperty("entryId").GetString(), ids);
        Assert.All(page.GetProperty("items").EnumerateArray(), d =>
        {
            Assert.Equal("seller", d.GetProperty("entityKind").GetString());
            Assert.Equal("decision", d.GetProperty("kind").GetString());
            Assert.Equal(at, d.GetProperty("occurredAt").GetDateTimeOffset());
        });
    }

    [Fact]
    public async Task Top_risk_is_ordered_by_step_then_score_and_pages()
    {
        await host.IngestAsync(new Scenarios("risk1").Brushing());
        await host.IngestAsync(new Scenarios("risk2").Counterfeit().MedicalClaims());
        await host.WaitForAsync("/v1/sellers/S-brush-risk1", v => v.GetProperty("level").GetInt32() >= 3, TimeSpan.FromSeconds(60));
        await host.WaitForAsync("/v1/top-risk?kind=seller&limit=200", p => p.GetProperty("items").EnumerateArray().Count() >= 2, TimeSpan.FromSeconds(20));
        await host.WaitForAsync("/v1/top-risk?kind=listing&limit=200", p => p.GetProperty("items").EnumerateArray().Any(l => l.GetProperty("id").GetString() == "L-cf-risk2"), TimeSpan.FromSeconds(60));

        // Every event applied and every decision audited: a seller still taking its scenario's last orders may step up
        // again, and its index row (ranked by the step and score of its last decision) would move between the pages read
        // below, past the continuation. CI once saw S-brush-risk1 in the full list and not in the pages.
        await host.WaitSettledAsync();
        using var http = host.Client();

        var all = (await http.GetFromJsonAsync<JsonElement>(new Uri("/v1/top-risk?kind=seller&limit=200", UriKind.Relative))).GetProperty("items").EnumerateArray().ToList();
        var ranks = all.Select(e => (Level: e.GetProperty("level").GetInt32(), Score: e.GetProperty("score").GetDouble())).ToList();
        Assert.Equal(ranks.OrderByDescending(r => r.Level).ThenByDescending(r => r.Score), ranks);
        Assert.All(all, e => Assert.True(e.GetProperty("level").GetInt32() > 0));

        var paged = new List<string?>();
        string? continuation = null;
        do
        {
            var page = await http.GetFromJsonAsync<JsonElement>(new Uri($"/v1/top-risk?kind=seller&limit=1{(continuation is null ? "" : "&continuation=" + continuation)}", UriKind.Relative));
            paged.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
            continuation = page.GetProperty("continuation").GetString();
        }
        while (continuation is not null && paged.Count < all.Count + 5);

        Assert.Equal(paged.Distinct().Count(), paged.Count);
        Assert.Contains("S-brush-risk1", paged);
        Assert.Contains(host.Seller, paged);
    }

    [Fact]
    public async Task Open_cases_list_entities_the_policy_stepped_up()
    {
        var cases = await host.WaitForAsync("/v1/cases?kind=seller&limit=200",
            p => p.GetProperty("items").EnumerateArray().Any(e => e.GetProperty("id").GetString() == host.Seller), TimeSpan.FromSeconds(20));

        var seed = cases.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("id").GetString() == host.Seller);
        Assert.Equal("automatic", seed.GetProperty("lastOrigin").GetString());
        Assert.Equal(JsonValueKind.String, seed.GetProperty("openedAt").ValueKind);
        Assert.Contains("BRUSHING", seed.GetProperty("reasonCodes").EnumerateArray().Select(c => c.GetString()));
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string detail)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(body);
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    internal static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    internal static HttpClient Analyst(ApiHostFixture host, string name = "alice")
    {
        var http = host.Client(TestSecrets.AnalystKey);
        http.DefaultRequestHeaders.Add("X-Analyst", name);
        return http;
    }
}
