using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Integrity.Harness.Terminal;
using Integrity.LoadTests.Cli;
using Integrity.Harness.Market;
using Spectre.Console.Testing;
using Xunit.Abstractions;
using EventTypeNames = Integrity.Domain.Events.EventTypeNames;

namespace Integrity.LoadTests.Tests;

/// <summary>
/// The harness against the real engine, as CI runs it: <c>run --self-host</c> starts its own Azurite and host process,
/// sends a small marketplace with every fraud pattern at max rate, waits for the engine to apply it, and reads it back
/// (applied counters from the grain-state table, decisions through the query API and its live feed).
/// </summary>
public sealed partial class SelfHostedHarnessTests(ITestOutputHelper log) : IDisposable
{
    /// <summary>20 honest sellers over 2 days: about 3,600 events and 9 incidents, one per pattern.</summary>
    private static readonly MarketplaceOptions Market = new() { Seed = 7, Sellers = 20, Span = TimeSpan.FromDays(2), FraudRate = 0.05 };

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"lt-selfhost-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>
    /// Culprits the engine's first policy cannot act on from this traffic, by design rather than by accident, and why.
    /// A reviewer account is judged on its own reviews: the rules that can act on it alone need several (LOCKSTEP,
    /// UNVERIFIED_SHARE and EXTREME_RATINGS 3 reviews, NEAR_DUPLICATE_TEXT 2), and below that only weak signals add up
    /// (THIN_HISTORY 0.2, NEW_ACCOUNT 0.15, RATING_DEVIATION, REVIEW_THEN_REFUND), under DownWeighted at 40 unless the
    /// account's one review also deviates far from a still-high listing average. So:
    /// a defamation attacker that posted a single review, and a brushing buyer account with fewer than 3 reviews, may
    /// go unflagged; the burst is still visible on the listings and the brushing on the seller (both asserted).
    /// </summary>
    private static Dictionary<EntityKey, string> NotCatchableByDesign(GeneratedMarketplace market)
    {
        var reviews = market.Events.Where(e => e.Type == EventTypeNames.ReviewPosted).SelectMany(e => e.Touched).Where(k => k.Kind == EntityKind.Reviewer)
            .GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        var exempt = new Dictionary<EntityKey, string>();
        foreach (var e in market.GroundTruth.Entries.Where(e => e.Role == GroundTruthRole.Culprit && e.Kind == EntityKind.Reviewer))
        {
            var count = reviews.GetValueOrDefault(e.Key);
            if (e.Pattern == FraudPatterns.DefamationBurst && count < 2) exempt[e.Key] = $"defamation attacker with {count} review";
            if (e.Pattern == FraudPatterns.Brushing && count < 3) exempt[e.Key] = $"brushing buyer with {count} reviews";
        }

        return exempt;
    }

    [Fact]
    public async Task Self_hosted_run_applies_every_accepted_event_once_and_catches_every_pattern_without_touching_honest_entities()
    {
        var clock = Stopwatch.StartNew();
        var progress = new StringWriter();
        var output = new StringWriter();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var report = await RunCommand.ExecuteAsync(
            LoadTestCommandLine.Parse(["run", "--self-host", "--seed", Market.Seed.ToString(CultureInfo.InvariantCulture), "--sellers", Market.Sellers.ToString(CultureInfo.InvariantCulture),
                "--span", "2d", "--fraud-rate", "0.05", "--concurrency", "4", "--batch", "250", "--duration", "30s", "--settle", "60s", "--report", _dir]),
            output, progress, new LiveProgress(new TestConsole(), interactive: false, TimeProvider.System, TimeSpan.FromSeconds(2)), TimeProvider.System, bound.Token);
        log.WriteLine(progress.ToString());
        log.WriteLine(output.ToString());
        log.WriteLine($"whole run (engine start, send, apply, read back, stop): {clock.Elapsed.TotalSeconds:0.0} s");

        // Only the processes the run started, and both are gone.
        foreach (var pid in StartedPids(progress.ToString()))
        {
            Assert.False(IsRunning(pid), $"process {pid} started by the run is still running");
        }

        var market = MarketplaceGenerator.Generate(Market);
        Assert.Equal(market.Events.Count, report.Totals.EventsAccepted);
        var engine = report.Engine ?? throw new Xunit.Sdk.XunitException($"the engine was not read back: {report.EngineNote}");
        Assert.True(report.Applied is { Settled: true }, $"not applied within the settle time: {report.Applied}");

        var ledger = engine.Ledger;
        Assert.True(ledger.Passed,
            $"exactly-once ledger check failed: {ledger.MissingApplications} missing, {ledger.ExtraApplications} extra of {ledger.EventsExpected}:\n"
            + string.Join("\n", ledger.Discrepancies.Take(20).Select(d => $"{d.Kind}/{d.Id}: accepted {d.Accepted}, applied {d.Applied}: {d.Problem}")));
        Assert.Equal(ledger.EntitiesChecked, ledger.EntitiesMatching);

        var detection = engine.Detection;
        Assert.True(detection.FalsePositives.Count == 0,
            "decisions on honest entities: " + string.Join("; ", detection.FalsePositives.Select(f => $"{f.Kind}/{f.Id} {f.HighestStep} ({string.Join(", ", f.ReasonCodes)})")));

        var exempt = NotCatchableByDesign(market);
        var problems = new List<string>();
        foreach (var p in detection.Patterns)
        {
            var missed = p.Missed.Where(m => !exempt.Keys.Any(k => k.ToString() == m)).ToList();
            var excused = p.Missed.Except(missed).ToList();
            log.WriteLine($"{p.Pattern}: {p.Detected}/{p.Culprits} detected, precision {p.Precision?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a"}, "
                + $"time to detect p50 {p.TimeToDetect?.MedianSeconds ?? 0:0} s" + (excused.Count > 0 ? $"; not catchable by design: {string.Join(", ", excused.Select(e => $"{e} ({exempt.First(k => k.Key.ToString() == e).Value})"))}" : ""));
            if (p.Culprits == 0) problems.Add($"{p.Pattern}: not injected");
            else if (p.Detected == 0) problems.Add($"{p.Pattern}: no culprit detected");
            if (missed.Count > 0) problems.Add($"{p.Pattern}: missed {string.Join(", ", missed)}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // The incidents the exemptions excuse are still seen where the policy looks: the defamed listings' bursts and the brushing seller.
        var sellers = market.GroundTruth.Entries.Where(e => e.Pattern == FraudPatterns.Brushing && e.Kind == EntityKind.Seller && e.Role == GroundTruthRole.Culprit).ToList();
        Assert.NotEmpty(sellers);
        Assert.All(sellers, s => Assert.DoesNotContain(s.Key.ToString(), detection.Patterns.Single(p => p.Pattern == FraudPatterns.Brushing).Missed));
        Assert.NotNull(engine.EventToDecision);
        Assert.True(report.SendSeconds < 30, $"sending took {report.SendSeconds} s");
        Assert.True(File.Exists(Path.Combine(_dir, "detection.svg")) && File.Exists(Path.Combine(_dir, "detection.png")), "no detection chart");
    }

    private static IEnumerable<int> StartedPids(string progress) =>
        PidPattern().Matches(progress).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct();

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"(?:Azurite|engine host) pid (\d+)")]
    private static partial Regex PidPattern();
}
