using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Integrity.Testing;

namespace Integrity.Host.Tests.Operability;

/// <summary>The Orleans Dashboard the host serves at /orleans-dashboard/: analysts only, by key or by session cookie.</summary>
[Collection(OperabilityHostCollection.Name)]
public sealed class OrleansDashboardTests(OperabilityHostFixture fixture)
{
    [Theory]
    [InlineData("/orleans-dashboard/")]
    [InlineData("/orleans-dashboard/ClusterStats")]
    public async Task Orleans_dashboard_answers_401_without_a_key_403_to_viewer_and_ingest_keys_and_200_to_an_analyst(string path)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(path, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(path, "not-a-configured-key-0123456789abcdef"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(path, TestSecrets.ViewerKey));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(path, TestSecrets.IngestKey));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(path, TestSecrets.AnalystKey));
    }

    [Fact]
    public async Task Orleans_dashboard_shows_this_silo_to_an_analyst()
    {
        using var http = fixture.Client(TestSecrets.AnalystKey);
        var page = await http.GetStringAsync(new Uri("/orleans-dashboard/", UriKind.Relative));
        Assert.Contains("Orleans Dashboard", page, StringComparison.Ordinal);

        var counters = await http.GetFromJsonAsync<JsonElement>(new Uri("/orleans-dashboard/DashboardCounters", UriKind.Relative));
        var silos = counters.GetProperty("hosts").EnumerateArray().ToList();
        Assert.Single(silos);
        Assert.Equal("Active", silos[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_analyst_key_opens_a_browser_session_cookie_scoped_to_the_dashboard_and_a_viewer_key_does_not()
    {
        using (var viewer = fixture.Client(TestSecrets.ViewerKey))
        using (var refused = await viewer.PostAsync(new Uri("/v1/orleans-dashboard/session", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var browser = new HttpClient(handler) { BaseAddress = fixture.Host.BaseAddress };
        using (var session = new HttpRequestMessage(HttpMethod.Post, "/v1/orleans-dashboard/session"))
        {
            session.Headers.Add("X-Api-Key", TestSecrets.AnalystKey);
            using var opened = await browser.SendAsync(session);
            Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
            Assert.Equal("/orleans-dashboard/", (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString());
            var setCookie = Assert.Single(opened.Headers.GetValues("Set-Cookie"));
            Assert.Contains("path=/orleans-dashboard", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        }

        // No key on these requests: the cookie alone opens the dashboard, and nothing else.
        using (var page = await browser.GetAsync(new Uri("/orleans-dashboard/DashboardCounters", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        using (var elsewhere = await browser.GetAsync(new Uri("/v1/admin/progress", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        }
    }

    private async Task<HttpStatusCode> StatusAsync(string path, string? key)
    {
        using var http = fixture.Client(key);
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }
}
