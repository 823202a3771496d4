using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Integrity.Domain.Webhooks;
using Integrity.Testing;

namespace Integrity.Api.Tests.Webhooks;

/// <summary>
/// Webhooks end to end: a real host process on Azurite delivers to real HTTP receivers on loopback; every expectation is
/// a condition waited for, never a pause.
/// </summary>
[Collection(WebhookHostCollection.Name)]
public sealed class WebhookDeliveryTests(WebhookHostFixture fixture)
{
    private const string Secret = "whsec-configured-0123456789abcdef0123456789";
    private const string RegisteredSecret = "whsec-registered-fedcba9876543210fedcba9876";

    private static Dictionary<string, string> Endpoint(string id, LoopbackReceiver receiver) => WebhookHostFixture.ConfiguredEndpoint(id, receiver, Secret);

    [Fact]
    public async Task Every_audited_decision_and_action_arrives_signed_once_in_order_per_entity_after_the_receiver_failed_three_times()
    {
        await using var receiver = new LoopbackReceiver { Answer = n => n <= 3 ? 500 : 200 };
        await fixture.StartHostAsync(Endpoint("platform-a", receiver));
        var suffix = "wh-a";
        await fixture.IngestAsync(new Scenarios(suffix).Brushing().Counterfeit());
        await fixture.WaitSettledAsync();
        using (var analyst = fixture.Client(TestSecrets.AnalystKey))
        {
            analyst.DefaultRequestHeaders.Add("X-Analyst", "alice");
            using var note = await analyst.PostAsJsonAsync($"/v1/sellers/S-brush-{suffix}/actions", new { action = "note", note = "checked the warehouse" });
            Assert.Equal(HttpStatusCode.OK, note.StatusCode);
        }

        await fixture.WaitSettledAsync();
        var audited = await fixture.AuditedAsync(suffix);
        Assert.Contains(audited, a => a.EntityKind == "seller");
        Assert.Contains(audited, a => a.EntityKind == "listing");
        Assert.Contains(audited, a => a.Id.StartsWith("note/", StringComparison.Ordinal));

        await fixture.WaitUntilAsync(() => audited.All(a => receiver.AcceptedRequests.Any(r => r.DeliveryId == a.Id)), "every audited record delivered");
        await fixture.WaitForAsync("/v1/webhooks", l => Endpoints(l)["platform-a"].GetProperty("pending").GetInt32() == 0);

        var accepted = receiver.AcceptedRequests;
        Assert.True(receiver.All.Count(r => !r.Accepted) == 3, "the receiver failed three requests");
        foreach (var request in receiver.All)
        {
            Assert.True(WebhookSignature.Verify(request.Signature!, Secret, request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), $"signature of {request.DeliveryId}");
            Assert.Equal(request.DeliveryId, request.Json.GetProperty("id").GetString());
        }

        // Once each (delivered, then never again), and the delivery id is the audit's entry id.
        Assert.Equal(accepted.Count, accepted.Select(r => r.DeliveryId).Distinct().Count());
        Assert.Equal(audited.Select(a => a.Id).Order(), accepted.Select(r => r.DeliveryId).Where(id => audited.Any(a => a.Id == id)).Order());

        // Per entity, in the order the audit recorded them.
        foreach (var entity in accepted.GroupBy(r => r.Json.GetProperty("entity").GetProperty("id").GetString()))
        {
            var times = entity.Select(r => r.Json.GetProperty("recordedAt").GetDateTimeOffset()).ToList();
            Assert.Equal(times.Order(), times);
        }

        // The retried deliveries carry their attempt number, and the delivery log shows them.
        Assert.Contains(accepted, r => r.Attempt >= 2);
        var delivered = await fixture.WaitForAsync("/v1/webhooks/platform-a/deliveries?status=delivered&limit=1000", _ => true);
        Assert.Contains(delivered.GetProperty("deliveries").EnumerateArray(), d => d.GetProperty("attempts").GetInt32() >= 2);

        // A body changed on the way does not verify with the documented algorithm.
        var first = accepted[0];
        // (One byte changed, whatever the first delivery was: replacing "seller" missed when it was a listing's.)
        var tampered = first.Body.ToArray();
        tampered[^2] ^= 0x01;
        Assert.NotEqual(first.Body, tampered);
        Assert.False(WebhookSignature.Verify(first.Signature!, Secret, tampered, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task Deliveries_queued_before_a_host_restart_reach_a_receiver_that_was_down_through_it()
    {
        await using var receiver = new LoopbackReceiver { Answer = _ => 503 };
        var settings = Endpoint("platform-r", receiver);
        await fixture.StartHostAsync(settings);
        var suffix = "wh-r";
        await fixture.IngestAsync(new Scenarios(suffix).Brushing());
        await fixture.WaitSettledAsync();
        var audited = await fixture.AuditedAsync(suffix);
        Assert.NotEmpty(audited);
        await fixture.WaitForAsync("/v1/webhooks/platform-r/deliveries?status=pending", p =>
            p.GetProperty("deliveries").GetArrayLength() == audited.Count && p.GetProperty("deliveries").EnumerateArray().Any(d => d.GetProperty("attempts").GetInt32() >= 1));
        Assert.Empty(receiver.AcceptedRequests);

        await fixture.StopHostAsync();
        receiver.Answer = _ => 200;
        await fixture.StartHostAsync(settings);

        await fixture.WaitUntilAsync(() => audited.All(a => receiver.AcceptedRequests.Any(r => r.DeliveryId == a.Id)), "every queued delivery after the restart");
        await fixture.WaitForAsync("/v1/webhooks", l => Endpoints(l)["platform-r"].GetProperty("pending").GetInt32() == 0);
        Assert.All(receiver.AcceptedRequests, r => Assert.True(WebhookSignature.Verify(r.Signature!, Secret, r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))));
    }

    [Fact]
    public async Task An_endpoint_failing_past_PauseAfter_is_paused_gets_nothing_until_an_analyst_resumes_it_then_gets_its_queue()
    {
        await using var receiver = new LoopbackReceiver { Answer = _ => 500 };
        await fixture.StartHostAsync(new Dictionary<string, string> { ["Webhooks:PauseAfter"] = "00:00:02" });
        await RegisterAsync("platform-p", receiver);

        // Failing for longer than PauseAfter: paused by the deliverer itself.
        var first = "wh-p1";
        await fixture.IngestAsync(new Scenarios(first).Brushing());
        var paused = await fixture.WaitForAsync("/v1/webhooks", l => Endpoints(l)["platform-p"].GetProperty("paused").GetBoolean());
        Assert.Equal("system", Endpoints(paused)["platform-p"].GetProperty("pausedBy").GetString());
        Assert.Empty(receiver.AcceptedRequests);

        // That pause is in the endpoint's audit trail as an analyst's would be: once, by the system, with its reason.
        var pausedHistory = await fixture.WaitForAsync("/v1/webhooks/platform-p/history", _ => true);
        var systemPause = Assert.Single(pausedHistory.GetProperty("entries").EnumerateArray());
        Assert.Equal("system", systemPause.GetProperty("actor").GetString());
        Assert.Equal("Paused", systemPause.GetProperty("step").GetString());
        Assert.Equal("pause", systemPause.GetProperty("details").GetProperty("action").GetString());
        Assert.Equal("system", systemPause.GetProperty("details").GetProperty("origin").GetString());
        Assert.StartsWith("every attempt failed since ", systemPause.GetProperty("details").GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(Endpoints(paused)["platform-p"].GetProperty("pauseReason").GetString(), systemPause.GetProperty("details").GetProperty("note").GetString());
        await fixture.WaitForScrapeAsync(m => m.Sum("integrity_webhook_endpoints_paused", "endpoint=platform-p") == 1);

        // The receiver is back, but the endpoint is paused: a second batch is queued, never tried.
        receiver.Answer = _ => 200;
        var second = "wh-p2";
        await fixture.IngestAsync(new Scenarios(second).Brushing());
        await fixture.WaitSettledAsync();
        var firstAudited = await SellerAndListingAsync(first);
        var secondAudited = await SellerAndListingAsync(second);
        await fixture.WaitForAsync("/v1/webhooks/platform-p/deliveries?status=pending", p =>
            secondAudited.All(a => p.GetProperty("deliveries").EnumerateArray().Any(d => d.GetProperty("deliveryId").GetString() == a.Id && d.GetProperty("attempts").GetInt32() == 0)));
        Assert.Empty(receiver.AcceptedRequests);

        using var analyst = fixture.Client(TestSecrets.AnalystKey);
        analyst.DefaultRequestHeaders.Add("X-Analyst", "bob");
        using (var resumed = await analyst.PostAsJsonAsync("/v1/webhooks/platform-p/resume", new { note = "platform fixed its receiver" }))
        {
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
            Assert.False((await resumed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("paused").GetBoolean());
        }

        await fixture.WaitUntilAsync(() => firstAudited.Concat(secondAudited).All(a => receiver.AcceptedRequests.Any(r => r.DeliveryId == a.Id)), "the queue sent after the resume");
        Assert.All(receiver.AcceptedRequests, r => Assert.True(WebhookSignature.Verify(r.Signature!, RegisteredSecret, r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))));
        Assert.DoesNotContain(receiver.AcceptedRequests, r => r.Json.GetProperty("entity").GetProperty("kind").GetString() == "reviewer");

        // The resume is in the audit trail, with the analyst and their key, after the system's pause.
        var history = await fixture.WaitForAsync("/v1/webhooks/platform-p/history", _ => true);
        Assert.Equal(["system", "analyst"], history.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("details").GetProperty("origin").GetString()));
        Assert.Contains(history.GetProperty("entries").EnumerateArray(), e =>
            e.GetProperty("actor").GetString()!.StartsWith("bob (key ", StringComparison.Ordinal) && e.GetProperty("step").GetString() == "Active");
        await fixture.WaitForScrapeAsync(m => m.Sum("integrity_webhook_endpoints_paused", "endpoint=platform-p") == 0);
    }

    [Fact]
    public async Task Deliveries_failing_past_the_retry_period_are_kept_as_failed_and_replay_through_the_API()
    {
        await using var receiver = new LoopbackReceiver { Answer = _ => 500 };
        await fixture.StartHostAsync(new Dictionary<string, string> { ["Webhooks:RetryPeriod"] = "00:00:01" });
        await RegisterAsync("platform-f", receiver);

        var suffix = "wh-f";
        await fixture.IngestAsync(new Scenarios(suffix).Brushing());
        await fixture.WaitSettledAsync();
        var audited = await SellerAndListingAsync(suffix);
        Assert.NotEmpty(audited);
        var failed = await fixture.WaitForAsync("/v1/webhooks/platform-f/deliveries?status=failed", f => f.GetProperty("deliveries").GetArrayLength() == audited.Count);
        // An entity's later delivery waits behind its first, so it may be past the retry period at its first attempt.
        Assert.All(failed.GetProperty("deliveries").EnumerateArray(), d =>
        {
            Assert.True(d.GetProperty("attempts").GetInt32() >= 1);
            Assert.Equal("HTTP 500", d.GetProperty("lastError").GetString());
        });
        Assert.Contains(failed.GetProperty("deliveries").EnumerateArray(), d => d.GetProperty("attempts").GetInt32() >= 2);
        var listed = await fixture.WaitForAsync("/v1/webhooks", _ => true);
        Assert.Equal(audited.Count, Endpoints(listed)["platform-f"].GetProperty("failed").GetInt32());

        receiver.Answer = _ => 200;
        using var analyst = fixture.Client(TestSecrets.AnalystKey);
        analyst.DefaultRequestHeaders.Add("X-Analyst", "carol");
        var one = audited[0].Id;
        using (var replay = await analyst.PostAsJsonAsync("/v1/webhooks/platform-f/replay", new { deliveryIds = new[] { one }, note = "resend one" }))
        {
            Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
            Assert.Equal(1, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        }

        await fixture.WaitUntilAsync(() => receiver.AcceptedRequests.Any(r => r.DeliveryId == one), "the one replayed delivery");
        using (var replay = await analyst.PostAsJsonAsync("/v1/webhooks/platform-f/replay", new { note = "resend the rest" }))
        {
            Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
            Assert.Equal(audited.Count - 1, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        }

        await fixture.WaitUntilAsync(() => audited.All(a => receiver.AcceptedRequests.Any(r => r.DeliveryId == a.Id)), "every replayed delivery");
        await fixture.WaitForAsync("/v1/webhooks/platform-f/deliveries?status=failed", f => f.GetProperty("deliveries").GetArrayLength() == 0);
        var history = await fixture.WaitForAsync("/v1/webhooks/platform-f/history", _ => true);
        Assert.Equal(2, history.GetProperty("entries").EnumerateArray().Count(e => e.GetProperty("entryId").GetString()!.StartsWith("webhook/replay/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Deleting_an_endpoint_removes_its_outbox_so_the_same_id_registered_again_starts_with_an_empty_delivery_log()
    {
        await using var receiver = new LoopbackReceiver();
        await fixture.StartHostAsync(new Dictionary<string, string>());
        await RegisterAsync("platform-d", receiver);

        var first = "wh-d1";
        await fixture.IngestAsync(new Scenarios(first).Brushing());
        await fixture.WaitSettledAsync();
        var delivered = await SellerAndListingAsync(first);
        Assert.NotEmpty(delivered);
        await fixture.WaitForAsync("/v1/webhooks/platform-d/deliveries?status=delivered&limit=1000", d =>
            delivered.All(a => d.GetProperty("deliveries").EnumerateArray().Any(r => r.GetProperty("deliveryId").GetString() == a.Id)));

        // Paused, so a second batch stays queued: the delete meets delivered and pending rows.
        using (var analyst = fixture.Client(TestSecrets.AnalystKey))
        {
            analyst.DefaultRequestHeaders.Add("X-Analyst", "dave");
            using var pause = await analyst.PostAsJsonAsync("/v1/webhooks/platform-d/pause", new { note = "platform moves its receiver" });
            Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        }

        var second = "wh-d2";
        await fixture.IngestAsync(new Scenarios(second).Brushing());
        await fixture.WaitSettledAsync();
        var queued = await SellerAndListingAsync(second);
        Assert.NotEmpty(queued);
        await fixture.WaitForAsync("/v1/webhooks/platform-d/deliveries?status=pending", p =>
            queued.All(a => p.GetProperty("deliveries").EnumerateArray().Any(r => r.GetProperty("deliveryId").GetString() == a.Id)));

        using var admin = fixture.Client(TestSecrets.AdminKey);
        using (var deleted = await admin.DeleteAsync(new Uri("/v1/webhooks/platform-d", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await RegisterAsync("platform-d", receiver);
        using var viewer = fixture.Client();
        foreach (var status in new[] { "pending", "failed", "delivered" })
        {
            var log = await viewer.GetFromJsonAsync<JsonElement>(new Uri($"/v1/webhooks/platform-d/deliveries?status={status}&limit=1000", UriKind.Relative));
            Assert.True(log.GetProperty("deliveries").GetArrayLength() == 0, $"{status} after the delete: {log}");
        }

        var listed = Endpoints(await viewer.GetFromJsonAsync<JsonElement>(new Uri("/v1/webhooks", UriKind.Relative)))["platform-d"];
        Assert.False(listed.GetProperty("paused").GetBoolean());
        Assert.Equal(0, listed.GetProperty("pending").GetInt32());
        Assert.Equal(0, listed.GetProperty("failed").GetInt32());

        // Gone for good: the receiver stops with this test.
        using var gone = await admin.DeleteAsync(new Uri("/v1/webhooks/platform-d", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, gone.StatusCode);
    }

    private async Task RegisterAsync(string id, LoopbackReceiver receiver)
    {
        using var admin = fixture.Client(TestSecrets.AdminKey);
        using var registered = await admin.PostAsJsonAsync("/v1/webhooks", new { id, url = receiver.Url, secret = RegisteredSecret, entityKinds = new[] { "seller", "listing" } });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    private async Task<List<(string Id, string EntityKind, string EntityId)>> SellerAndListingAsync(string suffix) =>
        [.. (await fixture.AuditedAsync(suffix)).Where(a => a.EntityKind is "seller" or "listing")];

    [Fact]
    public async Task Only_admin_keys_register_or_delete_endpoints_only_analysts_pause_and_no_secret_reaches_the_API_or_the_logs()
    {
        await using var receiver = new LoopbackReceiver();
        await fixture.StartHostAsync(Endpoint("platform-s", receiver));
        var body = new { id = "platform-s2", url = receiver.Url, secret = RegisteredSecret };

        foreach (var key in new[] { TestSecrets.AnalystKey, TestSecrets.ViewerKey, TestSecrets.IngestKey })
        {
            using var http = fixture.Client(key);
            using var register = await http.PostAsJsonAsync("/v1/webhooks", body);
            Assert.Equal(HttpStatusCode.Forbidden, register.StatusCode);
            using var delete = await http.DeleteAsync(new Uri("/v1/webhooks/platform-s2", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        }

        using (var anonymous = fixture.Client(null))
        {
            using var register = await anonymous.PostAsJsonAsync("/v1/webhooks", body);
            Assert.Equal(HttpStatusCode.Unauthorized, register.StatusCode);
            using var list = await anonymous.GetAsync(new Uri("/v1/webhooks", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        }

        foreach (var key in new[] { TestSecrets.ViewerKey, TestSecrets.AdminKey, TestSecrets.IngestKey })
        {
            using var http = fixture.Client(key);
            http.DefaultRequestHeaders.Add("X-Analyst", "mallory");
            foreach (var action in new[] { "pause", "resume", "replay" })
            {
                using var answer = await http.PostAsJsonAsync($"/v1/webhooks/platform-s/{action}", new { note = "not mine" });
                Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
            }
        }

        using var admin = fixture.Client(TestSecrets.AdminKey);
        using (var registered = await admin.PostAsJsonAsync("/v1/webhooks", body))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            Assert.DoesNotContain(RegisteredSecret, await registered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var again = await admin.PostAsJsonAsync("/v1/webhooks", body))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        using (var weak = await admin.PostAsJsonAsync("/v1/webhooks", new { id = "platform-weak", url = receiver.Url, secret = "short" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
            Assert.DoesNotContain("short", (await weak.Content.ReadAsStringAsync()).Replace("too short", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        foreach (var key in new[] { TestSecrets.ViewerKey, TestSecrets.AnalystKey, TestSecrets.AdminKey })
        {
            using var http = fixture.Client(key);
            var list = await http.GetStringAsync(new Uri("/v1/webhooks", UriKind.Relative));
            Assert.Contains("platform-s2", list, StringComparison.Ordinal);
            Assert.DoesNotContain(RegisteredSecret, list, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, list, StringComparison.Ordinal);
            Assert.DoesNotContain("token=", list, StringComparison.Ordinal);
        }

        // Deliveries to the registered endpoint are signed with its secret, which the host opened from storage.
        await fixture.IngestAsync(new Scenarios("wh-s").Counterfeit());
        await fixture.WaitUntilAsync(() => receiver.AcceptedRequests.Count(r => WebhookSignature.Verify(r.Signature!, RegisteredSecret, r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))) > 0, "a delivery signed with the registered secret");

        using (var configured = await admin.DeleteAsync(new Uri("/v1/webhooks/platform-s", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Conflict, configured.StatusCode);
        }

        using (var deleted = await admin.DeleteAsync(new Uri("/v1/webhooks/platform-s2", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await fixture.StopHostAsync();
        Assert.DoesNotContain(RegisteredSecret, fixture.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, fixture.AllOutput, StringComparison.Ordinal);
    }

    private static Dictionary<string, JsonElement> Endpoints(JsonElement list) =>
        list.GetProperty("endpoints").EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!, e => e);
}
