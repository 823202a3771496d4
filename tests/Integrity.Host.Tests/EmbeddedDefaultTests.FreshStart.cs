using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Integrity.Host.Tests.Operability;
using Integrity.Testing;

namespace Integrity.Host.Tests;

/// <summary>What a new user sees: the first start on an empty data folder, with JSON console logs.</summary>
public sealed partial class EmbeddedDefaultTests
{
    /// <summary>Orleans' own start race (its watchdog compares its first check with the machine's uptime), not ours.</summary>
    private const string OrleansWatchdogStartRace = "Participant check thread has not completed for";

    [Fact]
    public async Task First_start_on_an_empty_folder_logs_one_JSON_object_a_line_with_no_warning_and_no_stack()
    {
        var configuration = new Dictionary<string, string>(TestSecrets.HostConfiguration)
        {
            ["Logging:Console:FormatterName"] = "json",
            ["Logging:LogLevel:Default"] = "Information",
        };
        await using var host = HostProcess.Start(configuration, _workDirectory);
        await host.WaitHealthyAsync(TimeSpan.FromSeconds(120));

        // The first events: the journal, dead-letter, checkpoint, audit and index tables all get their first rows.
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events"))
        {
            request.Headers.Add("X-Api-Key", TestSecrets.IngestKey);
            request.Content = new StringContent(string.Join("\n", OpsEvents.Brushing("fresh")) + "\nnot json\n", Encoding.UTF8, "application/x-ndjson");
            using var accepted = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        await WaitForAnswerAsync(http, "/v1/admin/progress", TestSecrets.AnalystKey, body => JsonDocument.Parse(body).RootElement.GetProperty("settled").GetBoolean());
        await WaitForAnswerAsync(http, "/health/ready", null, _ => true);

        var lines = host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.Contains("Azurite started", StringComparison.Ordinal));
        var problems = new List<string>();
        foreach (var line in lines)
        {
            JsonElement entry;
            try
            {
                entry = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException)
            {
                problems.Add("not JSON: " + line);
                continue;
            }

            var level = entry.GetProperty("LogLevel").GetString();
            var message = entry.GetProperty("Message").GetString() ?? "";
            if (level is "Warning" or "Error" or "Critical" && !message.StartsWith(OrleansWatchdogStartRace, StringComparison.Ordinal))
            {
                problems.Add($"{level} from {entry.GetProperty("Category").GetString()}: {message}");
            }

            if (entry.TryGetProperty("Exception", out var exception) || line.Contains("TableNotFound", StringComparison.Ordinal))
            {
                problems.Add($"exception: {(exception.ValueKind == JsonValueKind.String ? exception.GetString() : line)}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static async Task WaitForAnswerAsync(HttpClient http, string path, string? key, Func<string, bool> done)
    {
        var waited = Stopwatch.StartNew();
        var last = "";
        while (waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (key is not null)
            {
                request.Headers.Add("X-Api-Key", key);
            }

            using var response = await http.SendAsync(request);
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK && done(last))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{path} did not reach the expected state; last answer: {last}");
    }
}
