using System.CommandLine;
using System.Globalization;
using System.Text;
using Integrity.Azurite;
using Integrity.Harness.Engine;
using Integrity.Harness.Market;
using Integrity.Harness.Sending;
using Integrity.Harness.Terminal;
using Integrity.LoadTests.Probes;
using Integrity.LoadTests.Race;
using Integrity.Testing;

namespace Integrity.LoadTests.Cli;

/// <summary>
/// The <c>race</c> command: one generated (skewed) marketplace, run through (a) the standard Orleans Azure setup
/// (<see cref="StandardAppRun"/>), (b) the engine with every event written through to each grain it touches
/// (<c>Consumers:WriteThrough</c>) and (c) the engine as configured by default, one after the other in this process on
/// this machine, each on an in-memory Azurite of its own. Each phase gets a prefix of the same stream (the standard app is
/// slow enough that the whole stream would take an hour); the figure compared is events made durable per second.
/// </summary>
public static class RaceCommand
{
    public static Command Create(Func<ParseResult, CancellationToken, Task<int>> action)
    {
        var command = new Command("race", "Races the standard Orleans Azure setup (Azure Queue streams + AzureTableGrainStorage) against the engine written through and as configured, on the same traffic.")
        {
            ToolCommandLine.Count("--events-a", "Events for phase (a), the standard app (default 4,000)."),
            ToolCommandLine.Count("--events-b", "Events for phase (b), the engine written through (default 5,000)."),
            ToolCommandLine.Count("--events-c", "Events for phase (c), the engine (default 150,000)."),
            new Option<string>("--phases") { Description = "Which phases to run, e.g. ac (default abc).", DefaultValueFactory = _ => "abc" },
            new Option<string>("--report") { Description = "Directory for race.md.", DefaultValueFactory = _ => "race-report" },
        };
        command.Add(new Option<int?>("--seed") { Description = "Generator seed (default 1)." });
        command.Add(new Option<int?>("--sellers") { Description = "Honest sellers (default 2,500: about 50k sellers, listings and reviewers)." });
        command.Add(new Option<double?>("--skew") { Description = "Zipf exponent of activity (default 1)." });
        command.Add(ToolCommandLine.Duration("--span", "Event time the generated traffic covers (default 7d)."));
        command.SetAction(action);
        return command;
    }

    public static async Task<int> RunAsync(ParseResult cl, TextWriter output, TextWriter progress, TimeProvider time, CancellationToken cancellationToken)
    {
        var phases = cl.GetRequiredValue<string>("--phases");
        if (phases.Length == 0 || phases.Any(p => p is not ('a' or 'b' or 'c')))
        {
            throw new UsageException($"--phases takes letters from abc, got '{phases}'");
        }

        var market = new MarketplaceOptions
        {
            Seed = cl.GetValue<int?>("--seed") ?? 1,
            Sellers = cl.GetValue<int?>("--sellers") ?? 2_500,
            Skew = cl.GetValue<double?>("--skew") ?? 1,
            Span = cl.GetValue<TimeSpan?>("--span") ?? TimeSpan.FromDays(7),
        };
        await progress.WriteLineAsync($"generating the marketplace (seed {market.Seed}, {market.Sellers} sellers, skew {market.Skew})...");
        var events = MarketplaceGenerator.Generate(market).Events;
        var entities = events.SelectMany(e => e.Touched).Where(t => EntityKinds.Counted.Contains(t.Kind)).Distinct().Count();
        await progress.WriteLineAsync($"{events.Count:N0} events over {entities:N0} sellers, listings and reviewers");

        var reportDir = Directory.CreateDirectory(cl.GetRequiredValue<string>("--report")).FullName;
        var rows = new List<(string Phase, int Events, double PerSecond, string Detail)>();
        if (phases.Contains('a'))
        {
            var take = Math.Min((int)(cl.GetValue<long?>("--events-a") ?? 4_000), events.Count);
            await progress.WriteLineAsync($"(a) the standard Orleans Azure setup on {take:N0} events...");
            await using var azurite = await LocalAzurite.StartAsync(new LocalAzuriteOptions(), cancellationToken: cancellationToken);
            var cost = await PhaseCost.StartAsync([("app and producer (one process)", Environment.ProcessId), ("Azurite", azurite.ProcessId)], PhaseCost.AllocatedInThisProcess, cancellationToken);
            var a = await StandardAppRun.RunAsync(azurite.ConnectionString, [.. events.Take(take)], workers: 32, queues: 8, batchContainerBatchSize: 32,
                TimeSpan.FromMinutes(15), progress, cancellationToken);
            rows.Add(("(a) standard: Azure Queue streams + AzureTableGrainStorage, write per delivered batch", take, a.EventsPerSecond,
                $"{a.Applications:N0} entity applications; puts {a.PutsPerSecond:N0}/s over {a.SecondsToProduce:0.0} s; all stored after {a.SecondsToStore:0.0} s; " +
                $"{a.Writes:N0} state writes ({a.Applications / (double)Math.Max(a.Writes, 1):0.00} applications each), {a.FailedWrites} failed{(a.Completed ? "" : "; NOT COMPLETE within 15 min")}; " +
                await cost.DescribeAsync(take, cancellationToken)));
        }

        if (phases.Contains('b'))
        {
            var take = Math.Min((int)(cl.GetValue<long?>("--events-b") ?? 5_000), events.Count);
            await progress.WriteLineAsync($"(b) the engine, written through, on {take:N0} events...");
            var b = await EngineRunAsync(events, take, new Dictionary<string, string> { ["Consumers:WriteThrough"] = "true", ["Ingest:MaxStoredLagSeconds"] = "60" }, progress, time, cancellationToken);
            KeepHostLog(reportDir, "b");
            rows.Add(("(b) the engine, every event written through to each grain it touches", take, b.PerSecond, b.Detail));
        }

        if (phases.Contains('c'))
        {
            var take = Math.Min((int)(cl.GetValue<long?>("--events-c") ?? 150_000), events.Count);
            await progress.WriteLineAsync($"(c) the engine on {take:N0} events...");
            var c = await EngineRunAsync(events, take, new Dictionary<string, string>(), progress, time, cancellationToken);
            KeepHostLog(reportDir, "c");
            rows.Add(("(c) the engine as configured (checkpointed state)", take, c.PerSecond, c.Detail));
        }

        var baseline = rows.FirstOrDefault(r => r.Phase.StartsWith("(a)", StringComparison.Ordinal)).PerSecond;
        var table = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Marketplace: seed {market.Seed}, {market.Sellers} honest sellers, skew {market.Skew}, {events.Count:N0} events over {entities:N0} entities; {Environment.ProcessorCount} cores; Azurite in memory, one per phase.")
            .AppendLine()
            .AppendLine("| phase | events | durable events/s | × (a) | what bounds it / detail |")
            .AppendLine("|---|---:|---:|---:|---|");
        foreach (var (phase, count, perSecond, detail) in rows)
        {
            var ratio = baseline > 0 ? (perSecond / baseline).ToString("0.0", CultureInfo.InvariantCulture) : "–";
            table.AppendLine(CultureInfo.InvariantCulture, $"| {phase} | {count:N0} | {perSecond:N0} | {ratio} | {detail} |");
        }

        await File.WriteAllTextAsync(Path.Combine(reportDir, "race.md"), table.ToString(), cancellationToken);
        await output.WriteLineAsync(table.ToString());
        await output.WriteLineAsync($"written to {Path.Combine(reportDir, "race.md")}");
        return 0;
    }

    /// <summary>The phase's host console (warnings and up, written when its engine stopped), beside race.md.</summary>
    private static void KeepHostLog(string reportDir, string phase)
    {
        var log = Path.Combine(Path.GetTempPath(), "integrity-host-last.log");
        if (File.Exists(log))
        {
            File.Copy(log, Path.Combine(reportDir, $"host-{phase}.log"), overwrite: true);
        }
    }

    /// <summary>One engine phase: its own in-memory Azurite and host, the events sent at full speed, and the time until every partition's checkpoint reached its head.</summary>
    private static async Task<(double PerSecond, string Detail)> EngineRunAsync(
        IReadOnlyList<GeneratedEvent> events, int take, Dictionary<string, string> settings, TextWriter progress, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var engine = await EngineUnderTest.StartAsync(settings, TimeSpan.FromSeconds(120), inMemoryStorage: true, cancellationToken: cancellationToken);
        // Backpressure (503 with Retry-After) is waited out, not given up on: the figure counts every event of the phase.
        var options = new SenderOptions { Target = engine.BaseAddress, ApiKey = TestSecrets.IngestKey, MaxEvents = take, Duration = TimeSpan.FromMinutes(10), MaxRetries = 10_000 };
        using var sender = new IngestSender(options, time);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var cost = await PhaseCost.StartAsync(
            [("host", engine.Host.ProcessId), ("Azurite", engine.Azurite.ProcessId), ("sender", Environment.ProcessId)],
            PhaseCost.AllocatedByHost(http, engine.BaseAddress, TestSecrets.ViewerKey), cancellationToken);
        var started = time.GetTimestamp();
        await sender.RunAsync(events, cancellationToken);
        var totals = sender.Stats.Totals();
        var applied = await EngineProgress.WaitAppliedAsync(http, engine.BaseAddress, TestSecrets.AnalystKey, totals.EventsAccepted, started, TimeSpan.FromMinutes(10), progress, time, cancellationToken,
            journal: new JournalProgress(engine.Azurite.ConnectionString));
        if (applied is not { Settled: true } a)
        {
            return (0, $"did not settle within 10 min ({totals.EventsAccepted:N0} accepted)");
        }

        var latency = sender.Stats.Latency();
        return (a.EventsPerSecond, string.Create(CultureInfo.InvariantCulture,
            $"{totals.EventsAccepted:N0} accepted ({totals.EventsGivenUp:N0} given up) in {sender.Stats.Elapsed.TotalSeconds:0.0} s, all checkpointed after {a.SecondsToApply:0.0} s; ingest p99 {latency.P99Ms:0} ms; {totals.Retries:N0} retries; ") +
            await cost.DescribeAsync((int)totals.EventsAccepted, cancellationToken));
    }
}
