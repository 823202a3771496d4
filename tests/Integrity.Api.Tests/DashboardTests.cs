using Integrity.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Integrity.Api.Tests;

/// <summary>
/// The dashboard in Debian's headless Chromium, driven by Playwright (which never downloads a browser here): a fraud
/// scenario ingested over HTTP appears live, the seller opens, an analyst reinstates it, and the page shows the new
/// state and audit trail; an appeal case is decided; the webhook panel shows a paused endpoint an analyst resumes; the
/// policy view compares the candidate in shadow with the active policy. Screenshots go to <c>screenshots/</c> beside the test assembly (docs/dashboard.png is one).
/// </summary>
[Collection(ApiHostCollection.Name)]
public sealed class DashboardTests(ApiHostFixture host) : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly string _userData = Directory.CreateTempSubdirectory("integrity-chromium-").FullName;
    private IPlaywright? _playwright;
    private IBrowserContext? _browser;

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (.ci/run does)");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchPersistentContextAsync(_userData, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            DeviceScaleFactor = 1,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        try
        {
            Directory.Delete(_userData, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Analyst_sees_a_brushing_seller_appear_live_opens_it_and_reinstates_it()
    {
        var page = _browser!.Pages.FirstOrDefault() ?? await _browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(host.BaseAddress.ToString());

        // The page asks for a key before it reads anything.
        await Expect(page.Locator("#key-modal")).ToBeVisibleAsync();
        await page.FillAsync("#key-input", TestSecrets.ViewerKey);
        await page.ClickAsync("#key-form button[type=submit]");
        await Expect(page.Locator("#key-role")).ToHaveTextAsync("viewer");
        await Expect(page.Locator("[data-testid=live-status]")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 30_000 });

        var scenario = new Scenarios("e2e").Brushing().Counterfeit().MedicalClaims();
        await host.IngestAsync(scenario);

        var live = page.Locator($"[data-testid=feed-item][data-entity-id='{scenario.Seller}']").First;
        await Expect(live).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(live).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("fresh"));
        await Expect(page.Locator($"[data-testid=cases] tr[data-entity-id='{scenario.Seller}']")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-testid=feed-item][data-entity-id='L-cf-e2e']").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator($"[data-testid=top-risk] tr[data-entity-id='{scenario.Seller}']")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, "dashboard.png") });

        await live.Locator("a.entity-link").ClickAsync();
        await Expect(page.Locator("[data-testid=entity-step]")).ToHaveAttributeAsync("data-step", "PayoutsHeld", new() { Timeout = 20_000 });
        await Expect(page.Locator("#entity-id")).ToHaveTextAsync(scenario.Seller);
        await Expect(page.Locator("#entity-reasons")).ToContainTextAsync("BRUSHING");
        await Expect(page.Locator("[data-testid=score-chart] svg circle").First).ToBeVisibleAsync();
        var auditRows = page.Locator("[data-testid=audit-row]");
        await Expect(auditRows.First).ToBeVisibleAsync();
        var rowsBefore = await auditRows.CountAsync();

        await page.ClickAsync("#entity-actions button[data-action=reinstate]");
        await Expect(page.Locator("#key-title")).ToHaveTextAsync("Analyst key");
        await page.FillAsync("#key-input", TestSecrets.AnalystKey);
        await page.ClickAsync("#key-form button[type=submit]");
        await Expect(page.Locator("#action-modal")).ToBeVisibleAsync();
        await page.FillAsync("#action-analyst", "alice");
        await page.FillAsync("#action-note", "Appeal upheld: the refunds were a carrier failure");
        await page.ClickAsync("#action-submit");

        await Expect(page.Locator("[data-testid=entity-step]")).ToHaveAttributeAsync("data-step", "None", new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-testid=last-action]")).ToContainTextAsync("Reinstated by alice");
        await Expect(auditRows).ToHaveCountAsync(rowsBefore + 1);
        await Expect(page.Locator("[data-testid=audit-row][data-kind=action]").First).ToContainTextAsync("Reinstated");
        await Expect(page.Locator("[data-testid=audit-row][data-kind=action]").First).ToContainTextAsync("Appeal upheld");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, "dashboard-entity.png"), FullPage = true });

        Assert.Empty(errors);
    }

    [Fact]
    public async Task Analyst_takes_an_appeal_from_the_queue_reads_its_case_and_reverses_the_step_it_contests()
    {
        var scenario = new Scenarios("e2e-ap").Brushing();
        await host.IngestAsync(scenario);
        await host.WaitForAsync($"/v1/sellers/{scenario.Seller}", v => v.GetProperty("level").GetInt32() >= 3, TimeSpan.FromSeconds(60));
        await host.WaitSettledAsync();
        var seller = await host.WaitForAsync($"/v1/sellers/{scenario.Seller}", _ => true, TimeSpan.FromSeconds(10));
        var contested = seller.GetProperty("history").EnumerateArray().Last(h => h.GetProperty("origin").GetString() == "automatic");
        var backTo = seller.GetProperty("ladder")[contested.GetProperty("fromLevel").GetInt32()].GetString()!;
        await host.IngestAsync(new Scenarios("e2e-ap").Appeal("AP-e2e", "seller", scenario.Seller, "The refunds were a carrier failure, not fake orders.",
            ["https://platform.example/appeals/AP-e2e/letter.pdf", "DOC-e2e"]));
        await host.WaitForAsync("/v1/appeals?limit=200", p => p.GetProperty("items").EnumerateArray().Any(a => a.GetProperty("appealId").GetString() == "AP-e2e"), TimeSpan.FromSeconds(60));

        var errors = new List<string>();
        var page = await SignedInAsViewerAsync(errors);

        // The queue on the overview, above the open cases.
        var row = page.Locator("[data-testid=appeals] tr[data-appeal-id='AP-e2e']");
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(row).ToContainTextAsync("carrier failure");
        await Expect(row).ToContainTextAsync("2 attachments");
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, "dashboard-appeals.png") });

        // The case on the entity page: what it contests, the statement, the references.
        await row.Locator("a.entity-link").ClickAsync();
        var appeal = page.Locator("[data-testid=appeal-case]");
        await Expect(appeal).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(appeal).ToHaveAttributeAsync("data-open", "true");
        await Expect(appeal).ToContainTextAsync(contested.GetProperty("decisionId").GetString()!);
        await Expect(appeal).ToContainTextAsync("The refunds were a carrier failure, not fake orders.");
        await Expect(appeal.Locator("a[href='https://platform.example/appeals/AP-e2e/letter.pdf']")).ToBeVisibleAsync();
        await Expect(appeal).ToContainTextAsync("DOC-e2e");
        await Expect(page.Locator("[data-testid=audit-row][data-kind=appeal]")).ToHaveCountAsync(1);

        // Reversed by an analyst: the step goes back down, the case shows its outcome, the trail the action.
        await page.ClickAsync("#appeal-actions button[data-outcome=reversed]");
        await Expect(page.Locator("#key-title")).ToHaveTextAsync("Analyst key");
        await page.FillAsync("#key-input", TestSecrets.AnalystKey);
        await page.ClickAsync("#key-form button[type=submit]");
        await Expect(page.Locator("#action-modal")).ToBeVisibleAsync();
        await page.FillAsync("#action-analyst", "alice");
        await page.FillAsync("#action-note", "Carrier letter checks out");
        await page.ClickAsync("#action-submit");

        await Expect(page.Locator("[data-testid=entity-step]")).ToHaveAttributeAsync("data-step", backTo, new() { Timeout = 20_000 });
        await Expect(appeal).ToHaveAttributeAsync("data-open", "false");
        await Expect(page.Locator("[data-testid=appeal-status]")).ToContainTextAsync("reversed by alice");
        await Expect(page.Locator("[data-testid=audit-row][data-kind=action]").First).ToContainTextAsync("Appeal: reversed");
        await Expect(page.Locator("[data-testid=audit-row][data-kind=action]").First).ToContainTextAsync("Carrier letter checks out");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, "dashboard-appeal-case.png"), FullPage = true });

        // Decided, it has left the queue.
        await page.ClickAsync("a.back");
        await Expect(page.Locator("[data-testid=appeals] tr[data-appeal-id='AP-e2e']")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_note_with_a_right_to_left_override_cannot_reorder_its_attribution_in_the_live_feed()
    {
        const string text = "trusted seller, verified by compliance";
        var page = _browser!.Pages.FirstOrDefault() ?? await _browser.NewPageAsync();
        await page.GotoAsync(host.BaseAddress.ToString());
        await Expect(page.Locator("#key-modal")).ToBeVisibleAsync();
        await page.FillAsync("#key-input", TestSecrets.ViewerKey);
        await page.ClickAsync("#key-form button[type=submit]");
        await Expect(page.Locator("[data-testid=live-status]")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 30_000 });

        using (var analyst = QueryTests.Analyst(host))
        using (var noted = await analyst.PostAsync(new Uri($"/v1/sellers/{host.Seller}/actions", UriKind.Relative),
            QueryTests.Json($$"""{"action":"note","note":"‮{{text}}","actionId":"bidi-note"}""")))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, noted.StatusCode);
        }

        var note = page.Locator("[data-testid=feed-item] .feed-note", new() { HasText = text }).First;
        await Expect(note).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(note).ToContainTextAsync("alice (key ");

        // The note sits in an element of its own, bidi-isolated, that holds nothing else: the override ends where the
        // note ends, so the attribution after it ("— alice (key …)") keeps its order.
        var isolated = await note.EvaluateAsync<bool>("""
            line => [...line.querySelectorAll("*")].some(e => e.textContent.includes("verified by compliance")
                && !e.textContent.includes("alice") && getComputedStyle(e).unicodeBidi === "isolate")
            """);
        Assert.True(isolated, "the note is not isolated from its attribution: " + await note.InnerHTMLAsync());
    }

    [Fact]
    public async Task Cluster_link_opens_the_Orleans_Dashboard_once_an_analyst_key_is_given()
    {
        var errors = new List<string>();
        var page = await SignedInAsViewerAsync(errors);

        // A viewer key does not open it: the link asks for an analyst key, which sets the dashboard's session cookie.
        await page.ClickAsync("[data-testid=orleans-dashboard-link]");
        await Expect(page.Locator("#key-title")).ToHaveTextAsync("Analyst key");
        await page.FillAsync("#key-input", TestSecrets.AnalystKey);

        // What the page met on the way, named if it never gets there (a failed session request ends in an alert, which
        // the browser dismisses, and no navigation).
        var met = new List<string>();
        page.Dialog += (_, d) => met.Add($"dialog: {d.Message}");
        page.Response += (_, r) => met.Add($"{r.Status} {r.Request.Method} {r.Url}");
        page.RequestFailed += (_, r) => met.Add($"failed {r.Method} {r.Url}: {r.Failure}");
        await page.ClickAsync("#key-form button[type=submit]");
        // Wait on the page's address, polled, not on a navigation event: WaitForURL reads the address and only then
        // listens for the navigation, so a navigation that lands in between is never seen (CI: the dashboard was up
        // and polling at the right address for 30 s while the wait still timed out).
        try
        {
            await Expect(page).ToHaveURLAsync(new Uri(host.BaseAddress, "/orleans-dashboard/").ToString(), new() { Timeout = 30_000 });
        }
        catch (PlaywrightException ex)
        {
            throw new TimeoutException($"the Orleans Dashboard did not open; the page is at {page.Url} and met: {string.Join("; ", met)}", ex);
        }

        await Expect(page.GetByText("Active Silos")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByText("Methods with Most Calls")).ToBeVisibleAsync();
        // Live numbers, sampled every second: the cluster's grain calls with their latency.
        await Expect(page.GetByText("ms/req").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, "orleans-dashboard.png") });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Rules_view_charts_each_reason_with_its_interval_whiskers_and_the_counts_the_API_reports()
    {
        await host.IngestAsync(new Scenarios("rrd1").Counterfeit());
        await host.WaitForAsync("/v1/listings/L-cf-rrd1", v => v.GetProperty("level").GetInt32() >= 1, TimeSpan.FromSeconds(60));
        using (var analyst = QueryTests.Analyst(host))
        using (var reversed = await analyst.PostAsync(new Uri("/v1/listings/L-cf-rrd1/actions", UriKind.Relative),
            QueryTests.Json("""{"action":"reverse","note":"the brand's reference price was wrong","actionId":"rrd1-reverse"}""")))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, reversed.StatusCode);
        }

        using var viewer = host.Client();
        var report = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(viewer, new Uri("/v1/reports/reasons", UriKind.Relative));
        var counterfeit = report.GetProperty("reasons").EnumerateArray().First(r => r.GetProperty("reasonCode").GetString() == "COUNTERFEIT");
        var policy = counterfeit.GetProperty("policyVersion").GetString()!;
        var errors = new List<string>();
        var page = await SignedInAsViewerAsync(errors);

        await page.ClickAsync("[data-testid=reason-report-link]");

        var row = page.Locator($"[data-testid=reason-row][data-reason=COUNTERFEIT][data-policy='{policy}']");
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(row.Locator("[data-testid=reason-confirmed]")).ToHaveTextAsync(counterfeit.GetProperty("confirmed").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(row.Locator("[data-testid=reason-reversed]")).ToHaveTextAsync(counterfeit.GetProperty("reversed").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(row).ToHaveAttributeAsync("data-status", counterfeit.GetProperty("status").GetString()!);
        // The chart: a bar per reason code and policy version, whiskers over its interval (a line and two caps), the threshold line.
        var bar = page.Locator($"[data-testid=reason-chart] g.reason-bar[data-reason=COUNTERFEIT][data-policy='{policy}']");
        await Expect(bar.Locator("rect.bar")).ToHaveCountAsync(1);
        await Expect(bar.Locator("line.whisker")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-testid=reason-chart] line.threshold")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=reason-summary]")).ToContainTextAsync("decisions labelled");
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, "dashboard-rules.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Webhook_panel_shows_an_endpoints_queue_and_who_paused_it_and_an_analyst_resumes_it_from_the_page()
    {
        await using var receiver = new Webhooks.LoopbackReceiver { Answer = _ => 503 };
        using var admin = host.Client(TestSecrets.AdminKey);
        using (var registered = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(admin, "/v1/webhooks",
            new { id = "dash-hook", url = receiver.Url.ToString(), entityKinds = new[] { "seller" }, minimumStep = 0, secret = "whsec-dashboard-0123456789abcdef0123456789" }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, registered.StatusCode);
        }

        try
        {
            await host.IngestAsync(new Scenarios("e2e-wh").Brushing());
            await host.WaitForAsync("/v1/webhooks", l => Hook(l).GetProperty("pending").GetInt32() > 0, TimeSpan.FromSeconds(60));
            using (var analyst = QueryTests.Analyst(host))
            using (var paused = await analyst.PostAsync(new Uri("/v1/webhooks/dash-hook/pause", UriKind.Relative), QueryTests.Json("""{"note":"receiver down for maintenance"}""")))
            {
                Assert.Equal(System.Net.HttpStatusCode.OK, paused.StatusCode);
            }

            // Paused, nothing is tried: the queue the page shows is the one the API counts.
            await host.WaitSettledAsync();
            var list = await host.WaitForAsync("/v1/webhooks", _ => true, TimeSpan.FromSeconds(10));
            var errors = new List<string>();
            var page = await SignedInAsViewerAsync(errors);
            var row = page.Locator("[data-testid=webhooks] tr[data-webhook-id='dash-hook']");
            await Expect(row).ToHaveAttributeAsync("data-paused", "true", new() { Timeout = 30_000 });
            await Expect(row.Locator("[data-testid=webhook-paused]")).ToContainTextAsync("Paused by alice");
            await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync(Hook(list).GetProperty("pending").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync(Hook(list).GetProperty("failed").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Expect(page.Locator("#webhooks-count")).ToContainTextAsync("paused");
            Directory.CreateDirectory(ScreenshotDirectory);
            await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, "dashboard-webhooks.png") });

            // Resuming takes an analyst key and a handle, and is audited.
            page.Dialog += async (_, dialog) => await dialog.AcceptAsync("bob");
            await row.Locator("[data-testid=webhook-resume]").ClickAsync();
            await Expect(page.Locator("#key-title")).ToHaveTextAsync("Analyst key");
            await page.FillAsync("#key-input", TestSecrets.AnalystKey);
            await page.ClickAsync("#key-form button[type=submit]");
            await Expect(row).ToHaveAttributeAsync("data-paused", "false", new() { Timeout = 20_000 });
            await Expect(row).ToContainTextAsync("Active");
            var history = await host.WaitForAsync("/v1/webhooks/dash-hook/history", _ => true, TimeSpan.FromSeconds(10));
            Assert.Contains(history.GetProperty("entries").EnumerateArray(), e => e.GetProperty("details").GetProperty("action").GetString() == "resume"
                && e.GetProperty("actor").GetString()!.StartsWith("bob (key ", StringComparison.Ordinal));
            Assert.Empty(errors);
        }
        finally
        {
            // The shared host keeps no endpoint that retries for ever.
            using var deleted = await admin.DeleteAsync(new Uri("/v1/webhooks/dash-hook", UriKind.Relative));
        }

        static System.Text.Json.JsonElement Hook(System.Text.Json.JsonElement list) =>
            list.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("id").GetString() == "dash-hook");
    }

    [Fact]
    public async Task Policy_view_shows_the_candidate_beside_the_active_policy_with_the_counts_the_API_reports_and_an_example_opens_on_its_real_step()
    {
        await host.IngestAsync(new Scenarios("e2e-sh").Counterfeit().MedicalClaims());
        await host.WaitSettledAsync();
        var to = DateTimeOffset.UtcNow.AddMinutes(5);
        var from = to.AddDays(-30);
        var range = $"from={Uri.EscapeDataString(from.ToString("O", System.Globalization.CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(to.ToString("O", System.Globalization.CultureInfo.InvariantCulture))}";
        var comparison = await host.WaitForAsync($"/v1/policy/compare?{range}", c => c.GetProperty("onlyCandidate").GetInt32() > 0, TimeSpan.FromSeconds(60));
        Assert.Equal(ApiHostFixture.CandidatePolicy, comparison.GetProperty("candidateVersion").GetString());
        var errors = new List<string>();
        var page = await SignedInAsViewerAsync(errors);

        await page.ClickAsync("[data-testid=policy-link]");

        await Expect(page.Locator("[data-testid=policy-status]")).ToContainTextAsync($"candidate: {ApiHostFixture.CandidatePolicy}", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=policy-both]")).ToHaveTextAsync(Count(comparison, "both"));
        await Expect(page.Locator("[data-testid=policy-only-candidate]")).ToHaveTextAsync(Count(comparison, "onlyCandidate"));
        await Expect(page.Locator("[data-testid=policy-only-active]")).ToHaveTextAsync(Count(comparison, "onlyActive"));
        foreach (var kind in comparison.GetProperty("byEntityKind").EnumerateArray())
        {
            await Expect(page.Locator($"[data-testid=policy-kind-row][data-key='{kind.GetProperty("key").GetString()}'] td").Nth(5)).ToHaveTextAsync(Count(kind, "onlyCandidate"));
        }

        await Expect(page.Locator("[data-testid=policy-reason-row]")).ToHaveCountAsync(comparison.GetProperty("byReason").GetArrayLength());
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, "dashboard-policy.png"), FullPage = true });

        // An entity only the candidate would step up opens on its real step, not the candidate's.
        var example = comparison.GetProperty("examples").GetProperty("onlyCandidate")[0];
        var kindName = example.GetProperty("entityKind").GetString()!;
        var id = example.GetProperty("entityId").GetString()!;
        var real = await host.WaitForAsync($"/v1/{kindName}s/{Uri.EscapeDataString(id)}", _ => true, TimeSpan.FromSeconds(10));
        Assert.True(real.GetProperty("level").GetInt32() < example.GetProperty("level").GetInt32(), $"{kindName} {id} stands below the candidate's step for real");
        await page.Locator($"[data-testid=policy-examples-candidate] li[data-entity-id='{id}'] a.entity-link").First.ClickAsync();
        await Expect(page.Locator("#entity-id")).ToHaveTextAsync(id, new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-testid=entity-step]")).ToHaveAttributeAsync("data-step", real.GetProperty("step").GetString()!);
        Assert.Empty(errors);

        static string Count(System.Text.Json.JsonElement e, string name) => e.GetProperty(name).GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The dashboard, its key modal answered with a viewer key.</summary>
    private async Task<IPage> SignedInAsViewerAsync(List<string> errors)
    {
        var page = _browser!.Pages.FirstOrDefault() ?? await _browser.NewPageAsync();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(host.BaseAddress.ToString());
        await Expect(page.Locator("#key-modal")).ToBeVisibleAsync();
        await page.FillAsync("#key-input", TestSecrets.ViewerKey);
        await page.ClickAsync("#key-form button[type=submit]");
        await Expect(page.Locator("#key-role")).ToHaveTextAsync("viewer");
        return page;
    }

    [Fact]
    public async Task API_link_opens_the_Scalar_reference_of_the_OpenAPI_document_with_the_dashboards_key()
    {
        var errors = new List<string>();
        var page = await SignedInAsViewerAsync(errors);
        var documents = new List<string>();
        page.Response += (_, r) =>
        {
            if (r.Url.EndsWith("/openapi/v1.json", StringComparison.Ordinal) && r.Status == 200)
            {
                documents.Add(r.Url);
            }
        };

        await page.ClickAsync("header a[href='api/']");

        await Expect(page).ToHaveURLAsync(new Uri(host.BaseAddress, "/api/").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Integrity API", Level = 1 })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.NotEmpty(documents);
        // The key given to the dashboard in this tab fills the ApiKey scheme: it is entered once.
        await Expect(page.Locator("input.scalar-password-input").First).ToHaveValueAsync(TestSecrets.ViewerKey);
        // Every group of operations is listed, and a group opens on its operations.
        foreach (var tag in new[] { "Health", "Account", "Admin", "Ingest", "Sellers", "Listings", "Reviewers", "Lists", "Appeals", "Reports", "Live feed", "Monitoring" })
        {
            await Expect(page.Locator(".t-doc__sidebar").GetByText(tag, new() { Exact = true })).ToBeVisibleAsync();
        }

        await page.Locator(".t-doc__sidebar").GetByText("Lists", new() { Exact = true }).ClickAsync();
        await Expect(page.GetByText("/v1/top-risk").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, "api-reference.png") });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Old_API_page_address_leads_to_the_Scalar_reference()
    {
        var page = _browser!.Pages.FirstOrDefault() ?? await _browser.NewPageAsync();

        await page.GotoAsync(new Uri(host.BaseAddress, "/api.html").ToString());

        await Expect(page).ToHaveURLAsync(new Uri(host.BaseAddress, "/api/").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Integrity API", Level = 1 })).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }
}
