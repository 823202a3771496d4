using System.Net;
using System.Text;
using System.Text.Json;
using Integrity.Testing;

namespace Integrity.Api.Tests;

/// <summary>Every endpoint over real HTTP: its role gets in, another role gets 403, no key gets 401, each with a problem body.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class RoleTests(ApiHostFixture host)
{
    public sealed record Call(string Method, string Path, string? Body = null, string ContentType = "application/json")
    {
        public override string ToString() => $"{Method} {Path}";
    }

    private const string Seed = "S-brush-seed";

    private static readonly Call Note = new("POST", $"/v1/sellers/{Seed}/actions", """{"action":"note","note":"role check"}""");

    public static TheoryData<Call> ViewerCalls() =>
    [
        new("GET", $"/v1/sellers/{Seed}"),
        new("GET", $"/v1/sellers/{Seed}/history"),
        new("GET", "/v1/listings/L-brush-seed"),
        new("GET", "/v1/listings/L-brush-seed/history"),
        new("GET", "/v1/reviewers/C-brush-0-seed"),
        new("GET", "/v1/reviewers/C-brush-0-seed/history"),
        new("GET", "/v1/decisions"),
        new("GET", "/v1/top-risk?kind=seller"),
        new("GET", "/v1/cases"),
        new("GET", "/v1/reports/reasons"),
        new("POST", "/v1/decisions/stream/ticket"),
        new("GET", "/v1/decisions/stream"),
    ];

    public static TheoryData<Call> AnalystCalls() =>
    [
        Note,
        new("POST", "/v1/listings/L-brush-seed/actions", """{"action":"note","note":"role check"}"""),
        new("POST", "/v1/reviewers/C-brush-0-seed/actions", """{"action":"note","note":"role check"}"""),
    ];

    [Theory]
    [MemberData(nameof(ViewerCalls))]
    public async Task Viewer_endpoint_admits_viewer_and_analyst_keys_and_refuses_ingest_keys_and_no_key(Call call)
    {
        await AssertStatusAsync(call, TestSecrets.ViewerKey, HttpStatusCode.OK);
        await AssertStatusAsync(call, TestSecrets.AnalystKey, HttpStatusCode.OK);
        await AssertProblemAsync(call, TestSecrets.IngestKey, HttpStatusCode.Forbidden, "role 'viewer'");
        await AssertProblemAsync(call, null, HttpStatusCode.Unauthorized, "An API key is required");
    }

    [Theory]
    [MemberData(nameof(AnalystCalls))]
    public async Task Analyst_endpoint_admits_only_analyst_keys(Call call)
    {
        await AssertStatusAsync(call, TestSecrets.AnalystKey, HttpStatusCode.OK);
        await AssertProblemAsync(call, TestSecrets.ViewerKey, HttpStatusCode.Forbidden, "role 'analyst'");
        await AssertProblemAsync(call, TestSecrets.IngestKey, HttpStatusCode.Forbidden, "role 'analyst'");
        await AssertProblemAsync(call, null, HttpStatusCode.Unauthorized, "An API key is required");
    }

    [Fact]
    public async Task Ingest_endpoint_admits_only_ingest_keys()
    {
        var call = new Call("POST", "/v1/events", new Scenarios("roles").CleanSeller("S-roles").Ndjson, "application/x-ndjson");
        await AssertStatusAsync(call, TestSecrets.IngestKey, HttpStatusCode.Accepted);
        await AssertProblemAsync(call, TestSecrets.ViewerKey, HttpStatusCode.Forbidden, "role 'ingest'");
        await AssertProblemAsync(call, TestSecrets.AnalystKey, HttpStatusCode.Forbidden, "role 'ingest'");
        await AssertProblemAsync(call, null, HttpStatusCode.Unauthorized, "An API key is required");
    }

    [Fact]
    public async Task Who_am_I_names_the_role_of_any_key_and_needs_one()
    {
        foreach (var (key, role) in new[] { (TestSecrets.ViewerKey, "viewer"), (TestSecrets.AnalystKey, "analyst"), (TestSecrets.IngestKey, "ingest") })
        {
            var body = await AssertStatusAsync(new Call("GET", "/v1/me"), key, HttpStatusCode.OK);
            Assert.Equal(role, JsonDocument.Parse(body).RootElement.GetProperty("role").GetString());
            Assert.DoesNotContain(key, body, StringComparison.Ordinal);
        }

        await AssertProblemAsync(new Call("GET", "/v1/me"), null, HttpStatusCode.Unauthorized, "An API key is required");
    }

    [Fact]
    public async Task Unknown_key_is_refused_with_401()
    {
        await AssertProblemAsync(new Call("GET", "/v1/decisions"), "not-a-configured-key-0123456789", HttpStatusCode.Unauthorized, "not valid");
    }

    [Theory]
    [InlineData("/", "text/html", "Live decisions")]
    [InlineData("/api/", "text/html", "Integrity API")]
    [InlineData("/api.html", "text/html", "Integrity API")]
    [InlineData("/api-reference.js", "text/javascript", "integrity.key")]
    [InlineData("/app.js", "text/javascript", "EventSource")]
    [InlineData("/openapi/v1.json", "application/json", "/v1/top-risk")]
    public async Task Pages_and_the_OpenAPI_document_are_public_and_hold_no_data(string path, string contentType, string expected)
    {
        using var http = host.Client(apiKey: null);
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith(contentType, response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        Assert.Contains(expected, body, StringComparison.Ordinal);
        Assert.DoesNotContain(Seed, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAPI_document_names_the_role_of_every_operation()
    {
        using var http = host.Client(apiKey: null);
        using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var roles = new Dictionary<string, string>();
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject())
            {
                roles[$"{op.Name.ToUpperInvariant()} {path.Name}"] = op.Value.TryGetProperty("x-integrity-role", out var r) ? r.GetString()! : "public";
            }
        }

        Assert.Equal("viewer", roles["GET /v1/sellers/{id}"]);
        Assert.Equal("analyst", roles["POST /v1/reviewers/{id}/actions"]);
        Assert.Equal("ingest", roles["POST /v1/events"]);
        Assert.Equal("viewer", roles["GET /v1/decisions/stream"]);
        Assert.Equal("viewer", roles["GET /v1/reports/reasons"]);
        Assert.Equal("public", roles["GET /health"]);
        Assert.All(roles.Where(r => r.Key.Contains("/v1/", StringComparison.Ordinal)), r => Assert.NotEqual("public", r.Value));
    }

    private async Task<string> AssertStatusAsync(Call call, string? key, HttpStatusCode expected)
    {
        using var http = host.Client(key);
        using var request = Request(call);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        // The stream never ends: its headers are the answer.
        var body = call.Path.EndsWith("/stream", StringComparison.Ordinal) && response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{call} with {(key is null ? "no key" : key[..12])}: {(int)response.StatusCode} {body}");
        return body;
    }

    private async Task AssertProblemAsync(Call call, string? key, HttpStatusCode expected, string detail)
    {
        var body = await AssertStatusAsync(call, key, expected);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal((int)expected, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Request(Call call)
    {
        var request = new HttpRequestMessage(new HttpMethod(call.Method), new Uri(call.Path, UriKind.Relative));
        if (call.Body is not null)
        {
            request.Content = new StringContent(call.Body, Encoding.UTF8, call.ContentType);
        }

        if (call.Path.EndsWith("/actions", StringComparison.Ordinal))
        {
            request.Headers.Add("X-Analyst", "role-tester");
        }

        return request;
    }
}
