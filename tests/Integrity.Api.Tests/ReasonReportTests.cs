using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Integrity.Testing;

namespace Integrity.Api.Tests;

/// <summary>
/// Which rules are noisy, end to end: events make decisions, analysts confirm, reverse and reinstate over HTTP, and
/// <c>GET /v1/reports/reasons</c> over the test's own minutes counts exactly those verdicts per reason code and policy
/// version, read back from the durable audit.
/// </summary>
[Collection(ApiHostCollection.Name)]
public sealed class ReasonReportTests(ApiHostFixture host)
{
    private sealed record Expected(int Confirmed, int Reversed);

    [Fact]
    public async Task Reason_report_the_counts_match_the_actions_taken_in_the_test()
    {
        string[] counterfeit = ["rrc1", "rrc2", "rrc3"];
        string[] claims = ["rrm1", "rrm2"];
        foreach (var suffix in counterfeit)
        {
            await host.IngestAsync(new Scenarios(suffix).Counterfeit());
        }

        foreach (var suffix in claims)
        {
            await host.IngestAsync(new Scenarios(suffix).MedicalClaims());
        }

        var brushing = new Scenarios("rrb1").Brushing();
        await host.IngestAsync(brushing);
        await host.IngestAsync(new Scenarios("rrn1").CleanSeller("S-clean-rrn1"));
        foreach (var listing in counterfeit.Select(s => "L-cf-" + s).Concat(claims.Select(s => "L-herb-" + s)))
        {
            await host.WaitForAsync($"/v1/listings/{listing}", v => v.GetProperty("level").GetInt32() >= 1, TimeSpan.FromSeconds(60));
        }

        await host.WaitForAsync($"/v1/sellers/{brushing.Seller}", v => v.GetProperty("level").GetInt32() >= 3, TimeSpan.FromSeconds(60));
        await host.WaitSettledAsync();

        // Only this test's verdicts fall in its window: the collection's tests run one after another.
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        var expected = new Dictionary<(string Code, string Policy), Expected>();
        using var analyst = QueryTests.Analyst(host, "rita");
        await ActAsync(analyst, "listing", "L-cf-rrc1", "confirm", expected);
        await ActAsync(analyst, "listing", "L-cf-rrc2", "confirm", expected);
        await ActAsync(analyst, "listing", "L-cf-rrc3", "reverse", expected);
        await ActAsync(analyst, "listing", "L-herb-rrm1", "reverse", expected);
        await ActAsync(analyst, "listing", "L-herb-rrm2", "reinstate", expected);
        await ActAsync(analyst, "seller", brushing.Seller, "confirm", expected);
        // No labels: a note, an override, and a confirmation of a seller no decision ever touched.
        await ActAsync(analyst, "seller", brushing.Seller, "note", expected);
        await ActAsync(analyst, "seller", "S-clean-rrn1", "override", expected);
        await ActAsync(analyst, "seller", "S-clean-rrn1", "confirm", expected);
        var to = DateTimeOffset.UtcNow.AddSeconds(1);

        using var viewer = host.Client();
        var report = await viewer.GetFromJsonAsync<JsonElement>(new Uri(
            $"/v1/reports/reasons?from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture))}",
            UriKind.Relative));

        // Seven labelling actions (confirm, reverse, reinstate); the last has no decision to rule on.
        Assert.Equal(7, report.GetProperty("actions").GetInt32());
        Assert.Equal(1, report.GetProperty("unpaired").GetInt32());
        Assert.False(report.GetProperty("truncated").GetBoolean());
        Assert.Equal((6, 3, 3), (report.GetProperty("decisions").GetInt32(), report.GetProperty("confirmed").GetInt32(), report.GetProperty("reversed").GetInt32()));

        var rows = report.GetProperty("reasons").EnumerateArray().ToDictionary(
            r => (r.GetProperty("reasonCode").GetString()!, r.GetProperty("policyVersion").GetString()!),
            r => new Expected(r.GetProperty("confirmed").GetInt32(), r.GetProperty("reversed").GetInt32()));
        Assert.Equal(expected.OrderBy(e => e.Key).ToList(), rows.OrderBy(e => e.Key).ToList());

        // What the scenarios are built to trip: the counterfeit rule confirmed twice and reversed once, the claims rule
        // reversed once and reinstated once (a reinstatement counts as a reversal).
        var policy = expected.Keys.Select(k => k.Policy).Distinct().Single();
        var cf = Row(report, "COUNTERFEIT", policy);
        Assert.Equal((3, 2, 1), (cf.GetProperty("labelled").GetInt32(), cf.GetProperty("confirmed").GetInt32(), cf.GetProperty("reversed").GetInt32()));
        Assert.Equal(2.0 / 3, cf.GetProperty("precision").GetDouble(), 6);
        Assert.Equal(0.2077, cf.GetProperty("lower").GetDouble(), 4);
        Assert.Equal(0.9385, cf.GetProperty("upper").GetDouble(), 4);
        Assert.Equal("watch", cf.GetProperty("status").GetString());
        var claim = Row(report, "PROHIBITED_CLAIM", policy);
        Assert.Equal((2, 0, 2), (claim.GetProperty("labelled").GetInt32(), claim.GetProperty("confirmed").GetInt32(), claim.GetProperty("reversed").GetInt32()));
        Assert.Equal(1, claim.GetProperty("byActionKind").GetProperty("analyst_reverse").GetInt32());
        Assert.Equal(1, claim.GetProperty("byActionKind").GetProperty("analyst_reinstate").GetInt32());
        Assert.Equal(0, claim.GetProperty("lower").GetDouble());
        var overall = Assert.Single(report.GetProperty("policies").EnumerateArray());
        Assert.Equal((policy, 6, 3, 3), (overall.GetProperty("policyVersion").GetString(), overall.GetProperty("labelled").GetInt32(),
            overall.GetProperty("confirmed").GetInt32(), overall.GetProperty("reversed").GetInt32()));
        Assert.Equal("confirmed", report.GetProperty("labels").GetProperty("appeal_upheld").GetString());
        Assert.Equal("reversed", report.GetProperty("labels").GetProperty("appeal_reversed").GetString());

        // The rows are worst first: lower bounds never fall within a status.
        string[] statuses = ["noisy", "watch", "ok"];
        var order = report.GetProperty("reasons").EnumerateArray().Select(r => (Status: r.GetProperty("status").GetString(), Lower: r.GetProperty("lower").GetDouble())).ToList();
        Assert.Equal(order.OrderBy(o => Array.IndexOf(statuses, o.Status)).ThenBy(o => o.Lower).ToList(), order);

        // The same verdicts as labels, one per decision, for fitting: who, which decision, stood or not, the reasons' weights.
        var export = await viewer.GetFromJsonAsync<JsonElement>(new Uri(
            $"/v1/reports/verdicts?from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture))}",
            UriKind.Relative));
        Assert.Equal((7, 1), (export.GetProperty("actions").GetInt32(), export.GetProperty("unpaired").GetInt32()));
        var labels = export.GetProperty("verdicts").EnumerateArray().ToDictionary(v => (v.GetProperty("entityKind").GetString(), v.GetProperty("entityId").GetString()));
        Assert.Equal(
            [("listing", "L-cf-rrc1", true), ("listing", "L-cf-rrc2", true), ("listing", "L-cf-rrc3", false), ("listing", "L-herb-rrm1", false), ("listing", "L-herb-rrm2", false), ("seller", brushing.Seller, true)],
            labels.Select(l => (l.Key.Item1, l.Key.Item2, l.Value.GetProperty("positive").GetBoolean())).Order().ToList());
        var confirmedCounterfeit = labels[("listing", "L-cf-rrc1")];
        Assert.Equal(policy, confirmedCounterfeit.GetProperty("policyVersion").GetString());
        Assert.Equal("analyst_confirm", confirmedCounterfeit.GetProperty("actionKind").GetString());
        Assert.StartsWith("listing/L-cf-rrc1/", confirmedCounterfeit.GetProperty("decisionId").GetString(), StringComparison.Ordinal);
        Assert.Equal(0.7, confirmedCounterfeit.GetProperty("reasons").GetProperty("COUNTERFEIT").GetDouble());
        Assert.Equal("analyst_reinstate", labels[("listing", "L-herb-rrm2")].GetProperty("actionKind").GetString());
        Assert.True(labels[("seller", brushing.Seller)].GetProperty("reasons").GetProperty("BRUSHING").GetDouble() > 0);
    }

    [Fact]
    public async Task Reason_report_needs_a_viewer_key_and_refuses_a_bad_range_or_threshold()
    {
        using var none = host.Client(apiKey: null);
        using var ingest = host.Client(TestSecrets.IngestKey);
        using var viewer = host.Client();
        using var analyst = host.Client(TestSecrets.AnalystKey);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(none, "/v1/reports/reasons"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(ingest, "/v1/reports/reasons"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(viewer, "/v1/reports/reasons"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(none, "/v1/reports/verdicts"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(ingest, "/v1/reports/verdicts"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(viewer, "/v1/reports/verdicts"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(analyst, "/v1/reports/reasons?threshold=0.8"));
        using (var response = await viewer.GetAsync(new Uri("/v1/reports/reasons?threshold=1.5", UriKind.Relative)))
        {
            await QueryTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "\"threshold\"");
        }

        using (var response = await viewer.GetAsync(new Uri("/v1/reports/reasons?from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z", UriKind.Relative)))
        {
            await QueryTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "at most 92 days");
        }

        using (var response = await viewer.GetAsync(new Uri("/v1/reports/reasons?from=yesterday", UriKind.Relative)))
        {
            await QueryTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "\"from\"");
        }

        using (var response = await viewer.GetAsync(new Uri("/v1/reports/verdicts?from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z", UriKind.Relative)))
        {
            await QueryTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "at most 92 days");
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private static JsonElement Row(JsonElement report, string code, string policy) =>
        report.GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("reasonCode").GetString() == code && r.GetProperty("policyVersion").GetString() == policy);

    /// <summary>
    /// Takes the action and adds what it should count to <paramref name="expected"/>, worked out from the entity's
    /// history as the API shows it: a reversal rules on the step it names, a confirmation or reinstatement on the last
    /// policy decision; each cited reason with weight counts once.
    /// </summary>
    private async Task ActAsync(HttpClient analyst, string kind, string id, string action, Dictionary<(string Code, string Policy), Expected> expected)
    {
        var history = await analyst.GetFromJsonAsync<JsonElement>(new Uri($"/v1/{kind}s/{id}/history", UriKind.Relative));
        var decisions = history.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "decision").ToList();
        var body = action switch
        {
            "confirm" => """{"action":"confirm"}""",
            "override" => """{"action":"override","level":1,"note":"watch it"}""",
            _ => $$"""{"action":"{{action}}","note":"verdict of the reason report test"}""",
        };
        using var response = await analyst.PostAsync(new Uri($"/v1/{kind}s/{id}/actions", UriKind.Relative), QueryTests.Json(body));
        var entity = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action} on {kind} {id}: {(int)response.StatusCode} {entity}");
        if (action is "note" or "override" || decisions.Count == 0)
        {
            return;
        }

        var ruled = action == "reverse"
            ? decisions.Single(d => d.GetProperty("entryId").GetString() == entity.GetProperty("history").EnumerateArray().Last().GetProperty("reverses").GetString())
            : decisions[^1];
        var policy = ruled.GetProperty("policyVersion").GetString()!;
        var codes = ruled.GetProperty("details").GetProperty("reasons").EnumerateArray()
            .Where(r => r.GetProperty("weight").GetDouble() > 0)
            .Select(r => r.GetProperty("code").GetString()!)
            .Distinct();
        foreach (var code in codes)
        {
            var now = expected.GetValueOrDefault((code, policy), new Expected(0, 0));
            expected[(code, policy)] = action == "confirm" ? now with { Confirmed = now.Confirmed + 1 } : now with { Reversed = now.Reversed + 1 };
        }
    }
}
