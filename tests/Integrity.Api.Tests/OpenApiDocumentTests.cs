using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integrity.Testing;

namespace Integrity.Api.Tests;

/// <summary>
/// The OpenAPI document a real host serves: clean under Redocly's recommended rules (the CLI pinned in
/// tools/redocly, installed by <c>npm ci</c>), and equal to the checked-in copy the generated client is built from.
/// </summary>
[Collection(ApiHostCollection.Name)]
public sealed class OpenApiDocumentTests(ApiHostFixture host)
{
    public static string CheckedInDocument { get; } = RepositoryRoot.Combine("docs", "openapi", "v1.json");

    [Fact]
    public async Task Document_passes_Redocly_recommended_rules_with_no_error_and_no_warning()
    {
        var cli = RepositoryRoot.Combine("tools", "redocly", "node_modules", "@redocly", "cli", "bin", "cli.js");
        Assert.True(File.Exists(cli), $"{cli} is missing: run 'npm ci' in tools/redocly (.ci/run does)");
        var document = Path.Combine(Directory.CreateTempSubdirectory("integrity-openapi-").FullName, "v1.json");
        await File.WriteAllTextAsync(document, await LiveDocumentAsync());

        var (exitCode, output, errors) = await RunAsync("node", cli, "lint", document, "--config", RepositoryRoot.Combine("tools", "redocly", "redocly.yaml"), "--format=json");

        Assert.True(exitCode == 0 || output.Length > 0, $"redocly lint exited {exitCode}:\n{errors}");
        var report = JsonNode.Parse(output)!;
        var problems = report["problems"]!.AsArray().Select(p =>
            $"{p!["severity"]} {p["ruleId"]} at {p["location"]?[0]?["pointer"]}: {p["message"]}");
        Assert.True(
            (int)report["totals"]!["errors"]! == 0 && (int)report["totals"]!["warnings"]! == 0,
            $"redocly lint (exit {exitCode}) found {report["totals"]!.ToJsonString()}:\n{string.Join('\n', problems)}");
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task Checked_in_document_is_the_one_the_host_serves()
    {
        var live = await LiveDocumentAsync();
        var checkedIn = await File.ReadAllTextAsync(CheckedInDocument);

        if (!JsonNode.DeepEquals(JsonNode.Parse(live), JsonNode.Parse(checkedIn)))
        {
            var fresh = Path.Combine(AppContext.BaseDirectory, "openapi-v1.live.json");
            await File.WriteAllTextAsync(fresh, live);
            Assert.Fail($"docs/openapi/v1.json differs from the document the host serves; if the change is meant, copy {fresh} over it (the generated client is built from it).");
        }
    }

    private async Task<string> LiveDocumentAsync()
    {
        using var http = host.Client(apiKey: null);
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        return JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry and no update check: the test reaches nothing but the file it lints.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}
