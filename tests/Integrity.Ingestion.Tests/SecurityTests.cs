using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Integrity.Host.Security;
using Integrity.Testing;
using Microsoft.Extensions.Options;

namespace Integrity.Ingestion.Tests;

[Collection(AzuriteCollection.Name)]
public sealed partial class SecurityTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("Security:ApiKeys:Ingest:0", "short-key", "at least 24")]
    [InlineData("Security:ApiKeys:Viewer:0", TestSecrets.IngestKey, "configured for several roles")]
    [InlineData("Security:IdentifierHashKey", "c2hvcnQ=", "must be at least 32")]
    public async Task Host_refuses_to_start_with_an_invalid_security_setting(string setting, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            IngestApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { [setting] = value }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestSecrets.IngestKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_on_configured_storage_without_keys_refuses_to_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            IngestApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Security:IdentifierHashKey"] = TestSecrets.IdentifierHashKey }, withTestKeys: false));

        Assert.Contains("No API key is configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_run_without_keys_prints_one_generated_key_per_role_and_keeps_its_hashing_key()
    {
        var data = Directory.CreateTempSubdirectory("integrity-devkeys-").FullName;
        try
        {
            var settings = new Dictionary<string, string?> { [DevelopmentSecrets.EmbeddedDataDirectoryKey] = data };
            var console = new StringWriter();
            string hashKey;
            await using (var app = await IngestApp.StartAsync(azurite.ConnectionString, settings, console, withTestKeys: false))
            {
                var keys = GeneratedKey().Matches(console.ToString()).ToDictionary(m => m.Groups["role"].Value, m => m.Groups["key"].Value);
                Assert.Equal(["analyst", "ingest", "viewer"], keys.Keys.Order());
                Assert.All(keys.Values, k => Assert.True(k.Length >= 24));

                using var http = app.Client(keys["ingest"]);
                using var response = await http.PostAsync(new Uri("/v1/events", UriKind.Relative), new StringContent(Wire.Review("dev-1"), Encoding.UTF8, "application/x-ndjson"));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                using var viewer = app.Client(keys["viewer"]);
                using var forbidden = await viewer.PostAsync(new Uri("/v1/events", UriKind.Relative), new StringContent(Wire.Review("dev-2"), Encoding.UTF8, "application/x-ndjson"));
                Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
                hashKey = app.Services.GetRequiredOptions<SecurityOptions>().IdentifierHashKey!;
            }

            Assert.Equal(hashKey, (await File.ReadAllTextAsync(Path.Combine(data, DevelopmentSecrets.IdentifierKeyFileName))).Trim());
            await using var restarted = await IngestApp.StartAsync(azurite.ConnectionString, settings, new StringWriter(), withTestKeys: false);
            Assert.Equal(hashKey, restarted.Services.GetRequiredOptions<SecurityOptions>().IdentifierHashKey);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Each_key_is_rate_limited_on_its_own_with_429_and_Retry_After()
    {
        await using var app = await IngestApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Security:RateLimit:PermitsPerSecond"] = "1",
            ["Security:RateLimit:Burst"] = "2",
            ["Security:ApiKeys:Ingest:1"] = "second-ingest-key-0123456789abcdef",
        });
        using var first = app.Client();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await first.PostAsync(new Uri("/v1/events", UriKind.Relative), new StringContent(Wire.Review($"rl-{i}"), Encoding.UTF8, "application/x-ndjson"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.Contains("rate limit", (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }

        using var second = app.Client("second-ingest-key-0123456789abcdef");
        using var other = await second.PostAsync(new Uri("/v1/events", UriKind.Relative), new StringContent(Wire.Review("rl-other"), Encoding.UTF8, "application/x-ndjson"));

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_valid_key_are_rate_limited_by_address_and_logged_once_per_client_per_interval()
    {
        var logs = new CapturedLogs();
        await using var app = await IngestApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Security:RateLimit:PerAddress:PermitsPerSecond"] = "1",
            ["Security:RateLimit:PerAddress:Burst"] = "20",
        }, logs: logs);
        using var wrongKey = app.Client("wrong-ingest-key-0123456789abcdef");
        using var noKey = app.Client(apiKey: null);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            using var response = await (i % 2 == 0 ? wrongKey : noKey).PostAsync(new Uri("/v1/events", UriKind.Relative),
                new StringContent(Wire.Review($"anon-{i}"), Encoding.UTF8, "application/x-ndjson"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.Contains("client address has exceeded its rate limit", (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Equal(HttpStatusCode.Unauthorized, statuses[1]);
        Assert.True(statuses.Count(s => s == HttpStatusCode.TooManyRequests) >= 10, string.Join(", ", statuses));
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"{s}"));
        string[] authCategories = ["Integrity.Host.Security", "Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Authorization"];
        var ours = logs.Entries.Where(e => authCategories.Any(c => e.Category.StartsWith(c, StringComparison.Ordinal))).ToList();
        var failure = Assert.Single(ours);
        Assert.Contains("Authentication failed", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-ingest-key", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_store_finds_the_role_of_a_key_and_nothing_for_others()
    {
        var options = new SecurityOptions();
        options.ApiKeys.Ingest.AddRange([TestSecrets.IngestKey, "rotated-ingest-key-0123456789abcdef"]);
        options.ApiKeys.Analyst.Add(TestSecrets.AnalystKey);
        var store = new ApiKeyStore(options);

        Assert.Equal("ingest", store.Find("rotated-ingest-key-0123456789abcdef")?.Role);
        Assert.Equal("analyst", store.Find(TestSecrets.AnalystKey)?.Role);
        Assert.Null(store.Find(TestSecrets.ViewerKey));
        Assert.Null(store.Find(""));
        Assert.Equal(["analyst", "viewer"], ApiRoles.Granted("analyst"));
        Assert.NotEqual(store.Find(TestSecrets.IngestKey)!.KeyHashPrefix, store.Find("rotated-ingest-key-0123456789abcdef")!.KeyHashPrefix);
    }

    [GeneratedRegex(@"^\s+(?<role>ingest|analyst|viewer)\s+(?<key>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex GeneratedKey();
}

internal static class ServiceProviderOptionsExtensions
{
    public static T GetRequiredOptions<T>(this IServiceProvider services)
        where T : class => ((IOptions<T>)services.GetService(typeof(IOptions<T>))!).Value;
}
