using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Integrity.Testing;

namespace Integrity.Api.Tests.Webhooks;

/// <summary>
/// The shadow policy end to end on a real host process and Azurite, with a webhook receiver on loopback: a candidate
/// whose listing ladder is lower than the active one's records extra would-be decisions apart, which never reach the
/// webhook, the audit or the listing's real step; the comparison counts them exactly against what each table holds; and
/// the promotion makes the candidate decide for real, is audited, and outlives a restart. Every expectation is a
/// condition waited for.
/// </summary>
[Collection(WebhookHostCollection.Name)]
public sealed class ShadowPolicyTests(WebhookHostFixture fixture)
{
    private const string Secret = "whsec-shadow-0123456789abcdef0123456789abcd";
    private const string Active = "active-sh";
    private const string Candidate = "candidate-sh";

    /// <summary>The active policy flags listings only at 90; the candidate keeps the default listing ladder (40, 60, 85), the rest the same.</summary>
    private static Dictionary<string, string> Settings(LoopbackReceiver receiver) => new()
    {
        ["Webhooks:Endpoints:0:Id"] = "platform-shadow",
        ["Webhooks:Endpoints:0:Url"] = receiver.Url.ToString(),
        ["Webhooks:Endpoints:0:Secret"] = Secret,
        ["Policy:Version"] = Active,
        ["Policy:Listing:Flagged"] = "90",
        ["Policy:Listing:Suppressed"] = "95",
        ["Policy:Listing:Removed"] = "99",
        ["ShadowPolicy:Version"] = Candidate,
        ["PolicyPromotion:RefreshInterval"] = "00:00:01",
    };

    [Fact]
    public async Task A_candidate_with_a_lower_threshold_makes_extra_decisions_that_never_reach_a_webhook_or_a_real_step_the_comparison_counts_them_and_promotion_switches_and_is_audited()
    {
        await using var receiver = new LoopbackReceiver();
        await fixture.StartHostAsync(Settings(receiver));
        var status = await fixture.WaitForAsync("/v1/policy", _ => true);
        Assert.Equal((Active, Candidate), (status.GetProperty("active").GetString(), status.GetProperty("candidate").GetString()));

        const string suffix = "sh-1";
        await fixture.IngestAsync(new Scenarios(suffix).Brushing().Counterfeit().MedicalClaims());
        await fixture.WaitSettledAsync();

        // The listings the candidate would flag stand where the active policy put them: nowhere.
        string[] listings = [$"L-cf-{suffix}", $"L-herb-{suffix}"];
        var expectedLevels = new Dictionary<string, int>();
        foreach (var listing in listings)
        {
            var view = await fixture.WaitForAsync($"/v1/listings/{listing}", _ => true);
            Assert.Equal(0, view.GetProperty("level").GetInt32());
            Assert.Empty(view.GetProperty("history").EnumerateArray());

            // Same signals, same score; the candidate's ladder (40, 60, 85) takes the one event's score this far.
            var score = view.GetProperty("score").GetDouble();
            expectedLevels[listing] = score >= 85 ? 3 : score >= 60 ? 2 : score >= 40 ? 1 : 0;
            Assert.True(expectedLevels[listing] >= 1, $"{listing} scored {score}: under the candidate's threshold, the scenario does not test it");
        }

        // What each side holds: the audit (real decisions of the active policy) and the shadow table (the candidate's).
        var from = DateTimeOffset.UtcNow.AddDays(-10);
        var to = DateTimeOffset.UtcNow.AddMinutes(1);
        var real = await RealDecisionsAsync(suffix, from, to);
        var shadow = await ShadowRowsAsync(Candidate);
        Assert.NotEmpty(real);
        Assert.All(real, r => Assert.Equal(Active, r.PolicyVersion));
        Assert.DoesNotContain(real, r => r.Kind == "listing");
        foreach (var listing in listings)
        {
            var row = Assert.Single(shadow, s => s.EntityId == listing);
            Assert.Equal(("listing", expectedLevels[listing]), (row.EntityKind, row.Level));
        }

        // Every real decision the candidate makes too (same thresholds for sellers and reviewers): the extra ones are listings.
        foreach (var decision in real)
        {
            Assert.Contains(shadow, s => (s.EntityKind, s.EntityId, s.Level) == (decision.Kind, decision.EntityId, decision.Level));
        }

        var extra = shadow.Where(s => !real.Any(r => (r.Kind, r.EntityId, r.Level) == (s.EntityKind, s.EntityId, s.Level))).ToList();
        Assert.All(extra, s => Assert.Equal("listing", s.EntityKind));

        // The comparison counts exactly that.
        var comparison = await fixture.WaitForAsync($"/v1/policy/compare?from={Iso(from)}&to={Iso(to)}&examples=200", _ => true);
        Assert.Equal((Active, Candidate), (comparison.GetProperty("activeVersion").GetString(), comparison.GetProperty("candidateVersion").GetString()));
        Assert.Equal(
            (real.Count, shadow.Count, real.Count, 0, extra.Count),
            (comparison.GetProperty("active").GetInt32(), comparison.GetProperty("candidate").GetInt32(), comparison.GetProperty("both").GetInt32(),
                comparison.GetProperty("onlyActive").GetInt32(), comparison.GetProperty("onlyCandidate").GetInt32()));
        Assert.False(comparison.GetProperty("truncated").GetBoolean());
        var listingRow = Assert.Single(comparison.GetProperty("byEntityKind").EnumerateArray(), r => r.GetProperty("key").GetString() == "listing");
        Assert.Equal((0, extra.Count, extra.Count, extra.Count),
            (listingRow.GetProperty("active").GetInt32(), listingRow.GetProperty("candidate").GetInt32(), listingRow.GetProperty("onlyCandidate").GetInt32(),
                listingRow.GetProperty("difference").GetInt32()));
        foreach (var code in extra.SelectMany(s => s.ReasonCodes).Distinct())
        {
            var row = Assert.Single(comparison.GetProperty("byReason").EnumerateArray(), r => r.GetProperty("key").GetString() == code);
            Assert.Equal(extra.Count(s => s.ReasonCodes.Contains(code)), row.GetProperty("onlyCandidate").GetInt32());
        }

        var examples = comparison.GetProperty("examples").GetProperty("onlyCandidate").EnumerateArray().ToList();
        Assert.Equal(extra.Count, examples.Count);
        Assert.Contains(examples, e => e.GetProperty("link").GetString() == $"/v1/listings/{listings[0]}");

        // Never delivered: everything audited for the scenario arrives, and nothing of the candidate's with it.
        var audited = await fixture.AuditedAsync(suffix);
        await fixture.WaitUntilAsync(() => audited.All(a => receiver.AcceptedRequests.Any(r => r.DeliveryId == a.Id)), "every audited record delivered");
        Assert.DoesNotContain(receiver.All, r => r.Json.GetProperty("policyVersion").GetString() == Candidate);
        Assert.DoesNotContain(receiver.All, r => listings.Contains(r.Json.GetProperty("entity").GetProperty("id").GetString()));
        Assert.DoesNotContain(audited, a => listings.Contains(a.EntityId));

        // Promotion: an admin's, with a handle, naming the running candidate.
        using (var analyst = fixture.Client(TestSecrets.AnalystKey))
        {
            analyst.DefaultRequestHeaders.Add("X-Analyst", "alice");
            using var refused = await analyst.PostAsJsonAsync("/v1/policy/promote", new { version = Candidate });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var admin = fixture.Client(TestSecrets.AdminKey);
        using (var anonymous = await admin.PostAsJsonAsync("/v1/policy/promote", new { version = Candidate }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, anonymous.StatusCode);
            Assert.Contains("X-Analyst", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        admin.DefaultRequestHeaders.Add("X-Analyst", "carol");
        using (var wrong = await admin.PostAsJsonAsync("/v1/policy/promote", new { version = "candidate-other" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, wrong.StatusCode);
            Assert.Contains($"'{Candidate}'", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var promoted = await admin.PostAsJsonAsync("/v1/policy/promote", new { version = Candidate, note = "Listings flagged at 40 compared well for a week" });
        var after = await promoted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(promoted.StatusCode == HttpStatusCode.OK, after.ToString());
        Assert.Equal(Candidate, after.GetProperty("active").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("candidate").ValueKind);
        Assert.Equal((Active, Candidate), (after.GetProperty("configuredVersion").GetString(), after.GetProperty("promotion").GetProperty("version").GetString()));

        // Audited: who, why, from and to (the trail is the collection's: other tests' promotions may be in it too).
        var audit = Assert.Single(after.GetProperty("history").EnumerateArray(), e => e.GetProperty("details").GetProperty("to").GetString() == Candidate);
        Assert.Equal("action", audit.GetProperty("kind").GetString());
        Assert.StartsWith("carol (key ", audit.GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.Equal(("promote", Active, Candidate, "Listings flagged at 40 compared well for a week"),
            (audit.GetProperty("details").GetProperty("action").GetString(), audit.GetProperty("details").GetProperty("from").GetString(),
                audit.GetProperty("details").GetProperty("to").GetString(), audit.GetProperty("details").GetProperty("note").GetString()));

        // It decides now: a new counterfeit listing is flagged for real under the promoted version and delivered, and
        // nothing more runs in shadow.
        const string next = "sh-2";
        await fixture.IngestAsync(new Scenarios(next).Counterfeit());
        await fixture.WaitSettledAsync();
        var flagged = await fixture.WaitForAsync($"/v1/listings/L-cf-{next}", v => v.GetProperty("level").GetInt32() >= 1);
        var step = flagged.GetProperty("history").EnumerateArray().Last();
        var decisionId = step.GetProperty("decisionId").GetString()!;
        await fixture.WaitUntilAsync(() => receiver.AcceptedRequests.Any(r => r.DeliveryId == decisionId), "the promoted policy's decision delivered");
        Assert.Equal(Candidate, receiver.AcceptedRequests.First(r => r.DeliveryId == decisionId).Json.GetProperty("policyVersion").GetString());
        Assert.DoesNotContain(await ShadowRowsAsync(Candidate), s => s.EntityId.EndsWith(next, StringComparison.Ordinal));

        // Durable: a host started afterwards on the same configuration decides under the promoted policy from its start.
        await fixture.StartHostAsync(Settings(receiver));
        var restarted = await fixture.WaitForAsync("/v1/policy", _ => true);
        Assert.Equal((Candidate, JsonValueKind.Null), (restarted.GetProperty("active").GetString(), restarted.GetProperty("candidate").ValueKind));
    }

    [Fact]
    public async Task A_promotion_on_one_silo_switches_every_silo_of_the_cluster()
    {
        await fixture.StopHostAsync();
        var clusterId = "shadow-" + Guid.NewGuid().ToString("N")[..8];
        var work = Directory.CreateTempSubdirectory("integrity-shadow-cluster-").FullName;
        var silos = new List<HostProcess>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var settings = HostProcess.ClusterSilo(fixture.StorageConnectionString, clusterId);
                settings["Policy:Version"] = "active-cl";
                settings["ShadowPolicy:Version"] = "candidate-cl";
                settings["ShadowPolicy:Listing:Removed"] = "70";
                settings["PolicyPromotion:RefreshInterval"] = "00:00:01";
                silos.Add(HostProcess.Start(settings, work));
            }

            await Task.WhenAll(silos.Select(s => s.WaitHealthyAsync(TimeSpan.FromSeconds(120))));
            foreach (var silo in silos)
            {
                Assert.Equal(("active-cl", "candidate-cl"), await VersionsAsync(silo));
            }

            using var admin = new HttpClient { BaseAddress = silos[0].BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            admin.DefaultRequestHeaders.Add("X-Api-Key", TestSecrets.AdminKey);
            admin.DefaultRequestHeaders.Add("X-Analyst", "carol");
            using var promoted = await admin.PostAsJsonAsync("/v1/policy/promote", new { version = "candidate-cl", note = "cluster-wide" });
            Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);

            // The other silo takes it from the table within its refresh interval: a condition waited for, not a pause.
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (await VersionsAsync(silos[1]) != ("candidate-cl", null))
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"silo 2 still decides under {await VersionsAsync(silos[1])}");
                await Task.Delay(100);
            }

            Assert.Equal(("candidate-cl", (string?)null), await VersionsAsync(silos[0]));
        }
        finally
        {
            await Task.WhenAll(silos.Select(async s =>
            {
                await s.StopAsync(TimeSpan.FromSeconds(60));
                await s.DisposeAsync();
            }));
        }
    }

    private static async Task<(string? Active, string? Candidate)> VersionsAsync(HostProcess silo)
    {
        using var viewer = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        viewer.DefaultRequestHeaders.Add("X-Api-Key", TestSecrets.ViewerKey);
        var status = await viewer.GetFromJsonAsync<JsonElement>("/v1/policy");
        return (status.GetProperty("active").GetString(), status.GetProperty("candidate").GetString());
    }

    private sealed record Row(string EntityKind, string EntityId, int Level, IReadOnlyList<string> ReasonCodes);

    private sealed record RealDecision(string Kind, string EntityId, int Level, string? PolicyVersion);

    /// <summary>The candidate's rows as stored in their own table.</summary>
    private async Task<List<Row>> ShadowRowsAsync(string version)
    {
        var table = new TableServiceClient(fixture.StorageConnectionString).GetTableClient("ShadowDecisions");
        var rows = new List<Row>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PolicyVersion eq {version}")))
        {
            using var details = JsonDocument.Parse(row.GetString("Details")!);
            var codes = details.RootElement.GetProperty("reasons").EnumerateArray()
                .Where(r => r.GetProperty("weight").GetDouble() > 0).Select(r => r.GetProperty("code").GetString()!).Distinct().ToList();
            rows.Add(new Row(row.GetString("EntityKind")!, row.GetString("EntityId")!, details.RootElement.GetProperty("toLevel").GetInt32(), codes));
        }

        return rows;
    }

    /// <summary>The real decisions of the scenario's entities in the range, from the decision list.</summary>
    private async Task<List<RealDecision>> RealDecisionsAsync(string suffix, DateTimeOffset from, DateTimeOffset to)
    {
        var list = await fixture.WaitForAsync($"/v1/decisions?type=decision&from={Iso(from)}&to={Iso(to)}&limit=200", _ => true);
        Assert.Equal(JsonValueKind.Null, list.GetProperty("continuation").ValueKind);
        var decisions = new List<RealDecision>();
        foreach (var item in list.GetProperty("items").EnumerateArray().Where(d => d.GetProperty("entityId").GetString()!.Contains(suffix, StringComparison.Ordinal)))
        {
            var kind = item.GetProperty("entityKind").GetString()!;
            var id = item.GetProperty("entityId").GetString()!;
            var history = await fixture.WaitForAsync($"/v1/{kind}s/{id}/history", _ => true);
            var entry = history.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("entryId").GetString() == item.GetProperty("entryId").GetString());
            decisions.Add(new RealDecision(kind, id, entry.GetProperty("details").GetProperty("toLevel").GetInt32(), entry.GetProperty("policyVersion").GetString()));
        }

        return decisions;
    }

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
}
