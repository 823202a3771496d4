using System.Text.Json;
using System.Xml.Linq;
using Integrity.LoadTests.Cli;
using Integrity.Harness.Ledger;
using Integrity.Harness.Reports;
using Integrity.Harness.Sending;
using Integrity.LoadTests.Evaluation;
using Integrity.Harness.Market;
using Integrity.LoadTests.Reports;
using Integrity.Harness.Terminal;
using Spectre.Console.Testing;

namespace Integrity.LoadTests.Tests;

public sealed class CliAndReportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"lt-tests-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static LiveProgress Plain(TestConsole console) => new(console, interactive: false, TimeProvider.System, TimeSpan.FromMilliseconds(50));

    [Fact]
    public void Options_parse_values_flags_durations_and_max_rate()
    {
        var cl = LoadTestCommandLine.Parse("run", "--target", "http://127.0.0.1:5080", "--api-key=k", "--rate", "max", "--duration", "90s", "--gzip", "--events", "1_000", "--concurrency", "3");
        Assert.Empty(cl.Errors);
        var options = RunCommand.ReadOptions(cl);
        Assert.Null(options.Rate);
        Assert.Equal(TimeSpan.FromSeconds(90), options.Duration);
        Assert.True(options.Gzip);
        Assert.Equal(1000, options.MaxEvents);
        Assert.Equal(3, options.Concurrency);

        Assert.Equal(TimeSpan.FromDays(7), ToolCommandLine.ParseDuration("7d"));
        Assert.Equal(TimeSpan.FromMilliseconds(250), ToolCommandLine.ParseDuration("250ms"));
        Assert.Equal(TimeSpan.FromMinutes(2), ToolCommandLine.ParseDuration("00:02:00"));

        Assert.Contains("loopback", Assert.Throws<UsageException>(() => RunCommand.ReadOptions(LoadTestCommandLine.Parse("run", "--target", "http://192.0.2.1:80", "--api-key", "k"))).Message);
        Assert.Contains("--rate", Assert.Single(LoadTestCommandLine.Parse("run", "--target", "http://127.0.0.1:1", "--api-key", "k", "--rate", "fast").Errors).Message);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("run --help")]
    [InlineData("generate --help")]
    public async Task Every_command_has_help_and_exits_0(string args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());

        Assert.Equal(0, await LoadTestCommandLine.InvokeAsync(args.Split(' '), output, error, Plain(new TestConsole()), TimeProvider.System, CancellationToken.None));
        Assert.Contains(args == "--help" ? "generate" : "--seed", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(error.ToString());
    }

    [Theory]
    [InlineData("run --target http://127.0.0.1:1 --api-key k --concurency 3", "--concurency")]
    [InlineData("generate --out x --sellers many", "--sellers")]
    [InlineData("rnu --self-host", "rnu")]
    [InlineData("run --self-host --target http://127.0.0.1:1", "--self-host starts its own engine")]
    public async Task An_unknown_option_or_a_bad_value_is_named_with_exit_code_2(string args, string named)
    {
        var (output, error) = (new StringWriter(), new StringWriter());

        Assert.Equal(2, await LoadTestCommandLine.InvokeAsync(args.Split(' '), output, error, Plain(new TestConsole()), TimeProvider.System, CancellationToken.None));
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task Generate_writes_events_ground_truth_and_ledger_that_read_back()
    {
        var output = new StringWriter();
        var code = await GenerateCommand.RunAsync(LoadTestCommandLine.Parse("generate", "--out", _dir, "--seed", "3", "--sellers", "12", "--duration", "2d", "--fraud-rate", "0.1"), output, CancellationToken.None);
        Assert.Equal(0, code);

        var events = await MarketplaceFiles.ReadEventsAsync(Path.Combine(_dir, MarketplaceFiles.EventsFile), CancellationToken.None);
        var again = MarketplaceGenerator.Generate(new MarketplaceOptions { Seed = 3, Sellers = 12, Span = TimeSpan.FromDays(2), FraudRate = 0.1 });
        Assert.Equal(again.Events.Select(e => e.EventId), events.Select(e => e.EventId));
        Assert.Equal(again.Events.Select(e => e.Touched), events.Select(e => e.Touched), new SequenceComparer());

        var truth = await MarketplaceFiles.ReadGroundTruthAsync(Path.Combine(_dir, MarketplaceFiles.GroundTruthFileName), CancellationToken.None);
        Assert.NotNull(truth);
        Assert.Equal(again.GroundTruth.Entries, truth.Entries);

        using var ledger = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, MarketplaceFiles.LedgerFile)));
        Assert.Equal(events.Count, ledger.RootElement.GetProperty("events").GetInt64());
        Assert.Equal(events.Sum(e => e.Touched.Count), ledger.RootElement.GetProperty("entities").EnumerateArray().Sum(e => e.GetProperty("events").GetInt64()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_against_a_local_listener_shows_progress_and_writes_the_report_with_charts_ledger_and_accepted_ids(bool interactive)
    {
        await using var server = await FakeIngestServer.StartAsync(s => s.Reject = id => id.EndsWith("00", StringComparison.Ordinal));
        var output = new StringWriter();
        var log = new StringWriter();
        var console = new TestConsole();
        if (interactive) console.Interactive().EmitAnsiSequences();
        var code = await LoadTestCommandLine.InvokeAsync(
            ["run", "--target", server.Address.ToString(), "--api-key", FakeIngestServer.Key, "--seed", "9", "--sellers", "10", "--span", "1d",
                "--events", "2000", "--batch", "250", "--concurrency", "2", "--rate", "8000", "--report", _dir],
            output, log, new LiveProgress(console, interactive, TimeProvider.System, TimeSpan.FromMilliseconds(50)), TimeProvider.System, CancellationToken.None);
        Assert.Equal(0, code);

        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, "report.json")));
        var totals = report.RootElement.GetProperty("totals");
        Assert.Equal(2000, totals.GetProperty("eventsSent").GetInt64());
        Assert.Equal(20, totals.GetProperty("eventsRejected").GetInt64());
        Assert.Equal(1980, report.RootElement.GetProperty("ledgerAccepted").GetInt64());
        Assert.True(report.RootElement.GetProperty("ingestLatency").GetProperty("p99Ms").GetDouble() > 0);
        Assert.Equal(1980, (await File.ReadAllLinesAsync(Path.Combine(_dir, "accepted-event-ids.txt"))).Length);

        var markdown = await File.ReadAllTextAsync(Path.Combine(_dir, "report.md"));
        Assert.Contains("![throughput and p99 latency per second](chart.svg)", markdown);
        Assert.Contains("Not measured", markdown);
        Assert.Contains("![ingest latency by percentile](latency.svg)", markdown);
        foreach (var chart in new[] { "chart", "latency" })
        {
            var svg = XDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, chart + ".svg")));
            Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "path");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await File.ReadAllBytesAsync(Path.Combine(_dir, chart + ".png")))[..4]);
        }

        Assert.Contains("events/s", await File.ReadAllTextAsync(Path.Combine(_dir, "chart.svg")));
        Assert.False(File.Exists(Path.Combine(_dir, "detection.svg")), "no evaluation, no detection chart");
        Assert.True(File.Exists(Path.Combine(_dir, MarketplaceFiles.GroundTruthFileName)));
        Assert.Contains("progress", console.Output);
        Assert.Contains("2,000/2,000 ev", console.Output);
        if (interactive) Assert.Contains("\u001b[", console.Output, StringComparison.Ordinal);
        else Assert.StartsWith("progress 100.0% 2,000/2,000 ev", console.Lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_shows_the_engine_sections_when_an_evaluation_is_there()
    {
        var ledger = new LedgerCheckResult(10, 9, 30, 29, 1, 0, [new(EntityKind.Seller, "S-1", 3, 0, 2, "1 accepted event(s) not applied")], [], []);
        var detection = DetectionMetrics.Compute(
            new GroundTruth(1, [new("brushing#1", FraudPatterns.Brushing, EntityKind.Seller, "S-1", GroundTruthRole.Culprit, DateTimeOffset.UnixEpoch)]),
            [new DecisionInfo("d", EntityKind.Seller, "S-1", "warning", 1, true, DateTimeOffset.UnixEpoch.AddMinutes(5), ["BRUSHING"], [])], [], new DetectionOptions());
        var report = new RunReport(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(10),
            new RunSettings("http://127.0.0.1:1/", 1, null, 10, false, null, 10, 1, "test", 1, 10, 0.1, 1), MachineInfo.Current(), 100, 10, 10, 9,
            new RunTotals(100, 100, 90, 10, 0, 0, 0, 0, 10, 0, 0, 0, new Dictionary<string, long> { ["202"] = 10 }, new Dictionary<string, long>()),
            new LatencySummary(10, 1, 2, 3, 4, 5, 1.5), [], 90, 0, new Dictionary<string, KindCount>(), [],
            new EngineEvaluation(ledger, detection, null, 1, 1), null);

        var markdown = MarkdownReport.Render(report, "chart.svg");
        Assert.Contains("**FAILED**", markdown);
        Assert.Contains("Seller/S-1: accepted 3", markdown);
        Assert.Contains("| brushing | 1 | 1 | 100.0% | 100.0% | 5 min / 5 min / 5 min |", markdown);
        Assert.DoesNotContain("Not measured", markdown);
    }

    private sealed class SequenceComparer : IEqualityComparer<IReadOnlyList<EntityKey>>
    {
        public bool Equals(IReadOnlyList<EntityKey>? x, IReadOnlyList<EntityKey>? y) => x!.SequenceEqual(y!);

        public int GetHashCode(IReadOnlyList<EntityKey> obj) => obj.Count;
    }
}
