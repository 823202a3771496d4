using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HdrHistogram;
using Integrity.Harness.Engine;
using Integrity.Harness.Market;
using Integrity.Harness.Reports;
using Integrity.Harness.Sending;
using Integrity.Harness.Terminal;
using Integrity.Testing;

// Ingestion benchmark: self-hosts Azurite and the engine (the real host process), drives it over HTTP from this process
// on the same machine, and writes JSON + Markdown + charts to docs/benchmarks. Every phase is bounded in events and in time.
return await BenchmarkCommandLine.InvokeAsync(args, Console.Out, Console.Error);

/// <summary>The benchmark's options (System.CommandLine, with the harness tools' conventions: --help, exit 2 on a typo).</summary>
public static class BenchmarkCommandLine
{
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Integrity ingestion benchmark: write-behind against naive write-through, event-to-decision latency, on a self-hosted engine.")
        {
            Opt("--seconds", 60, "Length of the write-behind phase (s)."),
            Opt("--naive-seconds", 30, "Length of the naive write-through phase (s)."),
            ToolCommandLine.Rate("--rate", "Target events/s of the throughput phases, or max (default)."),
            Opt("--sellers", 500, "Sellers (5 listings each on average)."),
            Opt("--customers", 5000, "Customers (buyers and reviewers)."),
            Opt("--skew", 0.0, "0: activity spread evenly; above 0, the market generator's Zipf exponent of sellers', listings' and (halved) customers' activity, e.g. 1."),
            Opt("--workers", 4, "Concurrent senders."),
            Opt("--batch", 1000, "Events per request."),
            Opt("--latency-rate", 20_000.0, "Rate of the event-to-decision phase (events/s)."),
            Opt("--latency-seconds", 30, "Length of each event-to-decision phase (s)."),
            Opt("--sustainable-rate", 1000.0, "Rate of the second event-to-decision phase (events/s)."),
            Opt("--in-memory", false, "Azurite in memory instead of on a data folder."),
            Opt("--separate-grain-state", false, "Grain state in a second Azurite of its own."),
            Opt("--out", Path.Combine(RepositoryRoot.Path, "docs", "benchmarks"), "Where the JSON, Markdown and charts go."),
            Opt("--checkpoint-interval", "00:00:02", "Consumers:CheckpointInterval of the engine."),
            Opt("--review-share", 0.1, "Share of events that are reviews, once the traffic's mix is steady (reviews follow their orders by 1-12 days)."),
            Opt("--phases", "behind,naive,latency,sustainable", "Phases to run, comma-separated."),
            Opt("--silos", "", "Compare cluster sizes instead of the phases: silo counts, comma-separated (e.g. 1,3), each on one Azurite."),
            Opt("--repeat", 1, "With --silos: how many times each size runs (interleaved; medians reported)."),
            new Option<FileInfo>("--chart-from") { Description = "Only redraw the charts (SVG and PNG) of an earlier run from its JSON, next to it." }.AcceptExistingOnly(),
        };
        root.SetAction(async r =>
        {
            if (r.GetValue<FileInfo>("--chart-from") is { } from)
            {
                var saved = JsonSerializer.Deserialize<SavedRun>(File.ReadAllText(from.FullName)) ?? throw new UsageException($"{from} holds no benchmark run");
                Report.Chart(Path.ChangeExtension(from.FullName, null), saved.Results);
                await output.WriteLineAsync($"Wrote {Path.ChangeExtension(from.FullName, ".svg")} and .png");
                return 0;
            }

            var options = new BenchOptions(
                r.GetValue<int>("--seconds"), r.GetValue<int>("--naive-seconds"), ToolCommandLine.RateValue(r, "--rate"), r.GetValue<int>("--sellers"), r.GetValue<int>("--customers"),
                r.GetValue<int>("--workers"), r.GetValue<int>("--batch"), r.GetValue<double>("--latency-rate"), r.GetValue<int>("--latency-seconds"), r.GetValue<double>("--sustainable-rate"),
                r.GetValue<bool>("--in-memory"), r.GetValue<bool>("--separate-grain-state"), r.GetRequiredValue<string>("--out"), r.GetRequiredValue<string>("--checkpoint-interval"),
                r.GetValue<double>("--review-share"), SiloCounts(r.GetRequiredValue<string>("--silos")), r.GetValue<int>("--repeat"), r.GetValue<double>("--skew"));
            var phases = r.GetRequiredValue<string>("--phases").Split(',');
            var results = new List<PhaseResult>();
            await output.WriteLineAsync($"Integrity ingestion benchmark: {JsonSerializer.Serialize(options)}");
            if (options.Silos is { } siloCounts)
            {
                // 1 silo against N: the same two phases (max rate, and a fixed rate with event→decision latency) on each
                // cluster size, the sizes interleaved in every repeat so that the machine's drift spreads over all of them.
                var runs = new List<ScalingRun>();
                for (var repeat = 1; repeat <= options.Repeat; repeat++)
                {
                    foreach (var silos in siloCounts)
                    {
                        runs.Add(new ScalingRun(silos, repeat, await Phases.ThroughputAsync("write-behind", options, options.Seconds, writeThrough: false, silos)));
                        runs.Add(new ScalingRun(silos, repeat, await Phases.LatencyAsync(options, options.SustainableRate, silos)));
                    }
                }

                Report.WriteScaling(options, runs);
                return 0;
            }

            if (phases.Contains("behind"))
            {
                results.Add(await Phases.ThroughputAsync("write-behind", options, options.Seconds, writeThrough: false));
            }

            if (phases.Contains("naive"))
            {
                results.Add(await Phases.ThroughputAsync("naive write-through", options, options.NaiveSeconds, writeThrough: true));
            }

            if (phases.Contains("latency"))
            {
                results.Add(await Phases.LatencyAsync(options, options.LatencyRate));
            }

            if (phases.Contains("sustainable"))
            {
                results.Add(await Phases.LatencyAsync(options, options.SustainableRate));
            }

            Report.Write(options, results);
            return 0;
        });
        return await ToolCommandLine.InvokeAsync(root, args, output, error);
    }

    private static IReadOnlyList<int>? SiloCounts(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        var counts = value.Split(',').Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c is >= 1 and <= 9 ? c : 0).ToList();
        return counts.Contains(0) ? throw new UsageException($"--silos takes silo counts 1..9, comma-separated (e.g. 1,3), not '{value}'") : counts;
    }

    private static Option<T> Opt<T>(string name, T value, string description) => new(name) { Description = description, DefaultValueFactory = _ => value };
}

/// <summary>What a run writes to its JSON: the figures of each phase (the options and machine are read back as they are).</summary>
internal sealed record SavedRun([property: System.Text.Json.Serialization.JsonPropertyName("results")] IReadOnlyList<PhaseResult> Results);

/// <summary>Command-line settings (all optional).</summary>
internal sealed record BenchOptions(
    int Seconds, int NaiveSeconds, double? Rate, int Sellers, int Customers, int Workers, int Batch,
    double LatencyRate, int LatencySeconds, double SustainableRate, bool InMemory, bool SeparateGrainState, string Out, string CheckpointInterval, double ReviewShare,
    IReadOnlyList<int>? Silos, int Repeat, double Skew);

/// <summary>One phase on a cluster of <paramref name="Silos"/> silos, in repeat <paramref name="Repeat"/>.</summary>
internal sealed record ScalingRun(int Silos, int Repeat, PhaseResult Result);

internal sealed record PhaseResult(
    string Name, string Mode, double? TargetRate, double SendSeconds, long Accepted, double AcceptedPerSecond,
    long AppliedInWindow, double AppliedPerSecond, long ApplicationsInWindow, double ApplicationsPerSecond, double? DrainSeconds, long Requests, long Unavailable503, long TransportErrors,
    LatencySummary? IngestLatencyMs, LatencySummary? EventToDecisionMs, long TippingSent, long TippingDecided,
    double MaxStoredLagSeconds, double MaxStoredLagAfterDrainSeconds, string CheckpointInterval, IReadOnlyList<string> Problems, IReadOnlyList<PipelineSample> Samples,
    IReadOnlyDictionary<string, int>? PartitionsPerSilo = null);

internal static class Phases
{
    public static async Task<PhaseResult> ThroughputAsync(string name, BenchOptions o, int seconds, bool writeThrough, int silos = 1) =>
        await RunAsync(name, o, seconds, o.Rate, writeThrough, tippingShare: 0, silos);

    public static async Task<PhaseResult> LatencyAsync(BenchOptions o, double rate, int silos = 1) =>
        await RunAsync($"event-to-decision at {rate:N0}/s", o, o.LatencySeconds, rate, writeThrough: false, tippingShare: 0.25, silos);

    private static async Task<PhaseResult> RunAsync(string name, BenchOptions o, int seconds, double? rate, bool writeThrough, double tippingShare, int silos)
    {
        Console.WriteLine($"\n== {name}: {seconds}s, rate {(rate is { } r ? r.ToString("N0", CultureInfo.InvariantCulture) : "max")}, {silos} silo(s)");
        await using var engine = await EngineUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Consumers:CheckpointInterval"] = o.CheckpointInterval,
            ["Consumers:WriteThrough"] = writeThrough ? "true" : "false",
            ["Security:RateLimit:PermitsPerSecond"] = "100000",
            ["Security:RateLimit:Burst"] = "100000",
        }, inMemoryStorage: o.InMemory, separateGrainStateStorage: o.SeparateGrainState, silos: silos);
        var maxEvents = (long)Math.Min((rate ?? 60_000) * seconds * 1.2, (long)o.Sellers * 800);
        var market = Market(o, maxEvents, tippingShare);
        var tipping = Tipping(market);
        using var sender = new IngestSender(new SenderOptions
        {
            Target = engine.BaseAddress, ApiKey = TestSecrets.IngestKey, Concurrency = o.Workers, Batch = o.Batch, Rate = rate, MaxEvents = maxEvents,
            Duration = TimeSpan.FromSeconds(seconds), DrainTimeout = TimeSpan.FromSeconds(60), MaxRetries = 100_000, MaxRetryWait = TimeSpan.FromSeconds(5),
        });

        // Several silos: the requests go round-robin over them, as behind a load balancer.
        using var stopSpreading = new CancellationTokenSource();
        var spreading = silos > 1 ? engine.Cluster.RoundRobinAsync(sender, null, stopSpreading.Token) : Task.CompletedTask;
        var clock = Stopwatch.StartNew();
        using var admin = new HttpClient { BaseAddress = engine.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        admin.DefaultRequestHeaders.Add("X-Api-Key", TestSecrets.AnalystKey);
        var monitor = new PipelineMonitor(engine.Tables, () => sender.Stats.AcceptedCount, async () =>
        {
            using var report = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/v1/admin/progress", UriKind.Relative)));
            return report.RootElement.GetProperty("partitions").EnumerateArray().Sum(p => p.GetProperty("eventsApplied").ValueKind == JsonValueKind.Number ? p.GetProperty("eventsApplied").GetInt64() : 0);
        });
        using var stopMonitor = new CancellationTokenSource();
        var watching = monitor.RunAsync(clock, stopMonitor.Token);
        var printing = Task.Run(async () =>
        {
            while (!stopMonitor.IsCancellationRequested)
            {
                await Task.Delay(5000);
                if (monitor.Samples.LastOrDefault() is { } s)
                {
                    Console.WriteLine($"  {s.Seconds,5:0}s accepted {s.Accepted,10:N0} journaled {s.Journaled,10:N0} applied+stored {s.Checkpointed,10:N0} entity applications {s.Applications,10:N0} stored lag {s.StoredLagSeconds,6:0.0}s");
                }
            }
        });

        await sender.RunAsync(market.Events);
        await stopSpreading.CancelAsync();
        await spreading;
        var sendSeconds = clock.Elapsed.TotalSeconds;
        var atSendEnd = await monitor.SampleAsync(clock);
        double? drain = null;
        try
        {
            // Bounded: give the consumers as long again as the load lasted (at most 3 minutes) to catch up.
            await engine.Tables.WaitSettledAsync(TimeSpan.FromSeconds(Math.Min(180, Math.Max(30, seconds))));
            drain = clock.Elapsed.TotalSeconds - sendSeconds;
        }
        catch (TimeoutException e)
        {
            Console.WriteLine("  not drained: " + e.Message);
        }

        await stopMonitor.CancelAsync();
        await watching;
        await printing;
        var final = await monitor.SampleAsync(clock);
        // Where the journal's partitions ran at the end (Orleans' queue balancer decides; with several silos it matters).
        var partitionsPerSilo = (await engine.Cluster.PartitionSilosAsync()).GroupBy(p => p.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Console.WriteLine($"  partitions per silo: {string.Join(", ", partitionsPerSilo.Select(p => $"{p.Key} {p.Value}"))}");

        LatencySummary? decisionLatency = null;
        long decided = 0;
        var tippingAcceptedAt = tipping.Select(sender.Ledger.AcceptedAt).OfType<DateTimeOffset>().Count();
        if (tippingShare > 0)
        {
            var h = new LongHistogram(3_600_000_000, 3);
            foreach (var d in await engine.Tables.DecisionsAsync())
            {
                var trigger = d.TriggeringEventIds.Where(tipping.Contains).Select(sender.Ledger.AcceptedAt).FirstOrDefault(a => a is not null);
                if (trigger is { } acceptedAt && d.EntityKind == "listing")
                {
                    decided++;
                    h.RecordValue(Math.Max(0, (long)((d.WrittenAt - acceptedAt).TotalMilliseconds * 1000)));
                }
            }

            decisionLatency = LatencySummary.OfAny(h);
        }

        var stats = sender.Stats;
        var totals = stats.Totals();
        var windowEnd = monitor.Samples.Where(s => s.Seconds <= sendSeconds).ToList();
        var appliedInWindow = atSendEnd.Checkpointed;
        var result = new PhaseResult(
            name, writeThrough ? "write-through (state written per event per grain, checkpoint per row)" : $"write-behind (checkpoint every {o.CheckpointInterval})",
            rate, Math.Round(sendSeconds, 1), totals.EventsAccepted, Math.Round(totals.EventsAccepted / sendSeconds), appliedInWindow, Math.Round(appliedInWindow / sendSeconds),
            atSendEnd.Applications, Math.Round(atSendEnd.Applications / sendSeconds),
            drain is { } dr ? Math.Round(dr, 1) : null, totals.Requests, stats.Answers("503"), totals.TransportErrors,
            stats.AcceptedLatency(), decisionLatency, tippingAcceptedAt, decided,
            Math.Round(monitor.Samples.Select(s => s.StoredLagSeconds).DefaultIfEmpty().Max(), 2),
            Math.Round(final.StoredLagSeconds, 2), o.CheckpointInterval, stats.Problems(), monitor.Samples, partitionsPerSilo);
        Console.WriteLine($"  accepted {result.AcceptedPerSecond:N0}/s, applied+stored {result.AppliedPerSecond:N0}/s in the window, entity applications {result.ApplicationsPerSecond:N0}/s, drain {result.DrainSeconds?.ToString("0.0", CultureInfo.InvariantCulture) ?? "not finished"}s, " +
            $"ingest p99 {result.IngestLatencyMs?.P99Ms:0.0} ms, decision p99 {result.EventToDecisionMs?.P99Ms:0} ms ({decided}/{tippingAcceptedAt}), max stored lag {result.MaxStoredLagSeconds:0.0}s");
        return result;
    }

    /// <summary>
    /// The phase's traffic: a market of about <paramref name="events"/> events from the harness's generator, with ids of
    /// its own and no fraud incidents. With a tipping share, listings keep arriving all through it (one for every 40
    /// events), that share of them with a prohibited claim, which tips a decision at once.
    /// </summary>
    private static GeneratedMarketplace Market(BenchOptions o, long events, double tippingShare)
    {
        var options = new MarketplaceOptions
        {
            IdPrefix = "b" + Guid.NewGuid().ToString("N")[..6], Sellers = o.Sellers, Customers = o.Customers, Skew = o.Skew, FraudRate = 0,
            ReviewRate = MarketplaceOptions.ReviewRateForShare(o.ReviewShare),
        }.SizedFor((long)(events * 1.1));
        if (tippingShare > 0)
        {
            options = options with { NewListingsPerDay = events / 40.0 / (options.WarmUp + options.Span).TotalDays, ClaimShare = tippingShare };
        }

        var clock = Stopwatch.StartNew();
        var market = MarketplaceGenerator.Generate(options);
        Console.WriteLine($"  generated {market.Events.Count:N0} events ({market.Sellers.Count:N0} sellers, skew {o.Skew}) in {clock.Elapsed.TotalSeconds:0.0}s");
        return market;
    }

    /// <summary>The events that tip a decision at once: the creations of the listings with a prohibited claim (from the ground truth).</summary>
    private static HashSet<string> Tipping(GeneratedMarketplace market)
    {
        var claims = market.GroundTruth.Entries.Where(e => e.Pattern == FraudPatterns.ProhibitedClaims && e.Kind == EntityKind.Listing).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        return market.Events.Where(e => e.Type == Integrity.Domain.Events.EventTypeNames.ListingCreated && e.Touched.Any(t => t.Kind == EntityKind.Listing && claims.Contains(t.Id)))
            .Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
    }
}

internal static class Report
{
    public static void Write(BenchOptions o, List<PhaseResult> results)
    {
        Directory.CreateDirectory(o.Out);
        var date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var json = Path.Combine(o.Out, $"ingestion-{date}.json");
        File.WriteAllText(json, JsonSerializer.Serialize(new { options = o, machine = Machine(), results }, new JsonSerializerOptions { WriteIndented = true }));
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine(inv, $"# Ingestion benchmark {date}");
        md.AppendLine();
        md.AppendLine(inv, $"`dotnet run -c Release --project load-tests/Integrity.Benchmarks -- {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}` on {Machine()}.");
        md.AppendLine(inv, $"Azurite {(o.InMemory ? "in memory" : "on a data folder")}{(o.SeparateGrainState ? " (grain state in a second Azurite of its own)" : "")}, the host process and the sender on this one machine; {o.Sellers:N0} sellers × 5 listings on average{(o.Skew > 0 ? $" (Zipf, skew {o.Skew})" : "")}, {o.Customers:N0} customers; {o.Workers} senders, {o.Batch:N0} events per request. Raw figures: `{Path.GetFileName(json)}`.");
        md.AppendLine();
        md.AppendLine("| phase | target/s | accepted/s | applied+stored/s (checkpointed, in the window) | entity applications/s (in the window) | drain after | ingest p50 / p90 / p99 / p99.9 ms | event→decision p50 / p99 ms | max stored lag s |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var l = r.IngestLatencyMs;
            var d = r.EventToDecisionMs;
            md.AppendLine(inv, $"| {r.Name} | {(r.TargetRate is { } t ? t.ToString("N0", inv) : "max")} | {r.AcceptedPerSecond:N0} | {r.AppliedPerSecond:N0} | {r.ApplicationsPerSecond:N0} | {(r.DrainSeconds is { } x ? x.ToString("0.0", inv) + " s" : "not drained")} | " +
                $"{l?.P50Ms:0.0} / {l?.P90Ms:0.0} / {l?.P99Ms:0.0} / {l?.P999Ms:0.0} | {(d is null ? "–" : $"{d.P50Ms:0} / {d.P99Ms:0} ({r.TippingDecided}/{r.TippingSent})")} | {r.MaxStoredLagSeconds:0.0} |");
        }

        if (results.FirstOrDefault(r => r.Name == "write-behind") is { } behind && results.FirstOrDefault(r => r.Name.StartsWith("naive", StringComparison.Ordinal)) is { } naive)
        {
            md.AppendLine();
            md.AppendLine(inv, $"**Write-behind vs naive write-through, entity applications/s in the load window (same run, same traffic): {behind.ApplicationsPerSecond:N0} vs {naive.ApplicationsPerSecond:N0} = ×{(naive.ApplicationsPerSecond > 0 ? behind.ApplicationsPerSecond / naive.ApplicationsPerSecond : double.NaN):0.0}; applied and checkpointed events/s: {behind.AppliedPerSecond:N0} vs {naive.AppliedPerSecond:N0}.**");
        }

        var chart = $"ingestion-{date}";
        Chart(Path.Combine(o.Out, chart), results);
        md.AppendLine();
        md.AppendLine(inv, $"![Per phase: events accepted, journaled and applied + stored over the run, and stored lag against the bound]({chart}.svg)");
        File.WriteAllText(Path.Combine(o.Out, $"ingestion-{date}.generated.md"), md.ToString());
        Console.WriteLine("\n" + md);
    }

    /// <summary>
    /// The 1-silo against N-silo report: per phase and cluster size the median of the repeats of each figure, every
    /// repeat's value beside it, and the ratio of the largest cluster to one silo; JSON with every run, Markdown, SVG.
    /// </summary>
    public static void WriteScaling(BenchOptions o, List<ScalingRun> runs)
    {
        Directory.CreateDirectory(o.Out);
        var inv = CultureInfo.InvariantCulture;
        var date = DateTime.UtcNow.ToString("yyyy-MM-dd", inv);
        var json = Path.Combine(o.Out, $"scaling-{date}.json");
        var phases = runs.Select(r => r.Result.Name).Distinct().ToList();
        var sizes = runs.Select(r => r.Silos).Distinct().Order().ToList();
        var figures = new (string Name, Func<PhaseResult, double?> Value, string Format)[]
        {
            ("accepted/s", r => r.AcceptedPerSecond, "N0"),
            ("applied+stored/s (in the window)", r => r.AppliedPerSecond, "N0"),
            ("entity applications/s", r => r.ApplicationsPerSecond, "N0"),
            ("ingest p50 ms", r => r.IngestLatencyMs?.P50Ms, "N0"),
            ("ingest p99 ms", r => r.IngestLatencyMs?.P99Ms, "N0"),
            ("event→decision p50 ms", r => r.EventToDecisionMs?.P50Ms, "N0"),
            ("event→decision p99 ms", r => r.EventToDecisionMs?.P99Ms, "N0"),
            ("drain after the load s", r => r.DrainSeconds, "0.0"),
            ("503 answers", r => r.Unavailable503, "N0"),
        };
        var medians = phases.SelectMany(phase => sizes.Select(n => new
        {
            phase,
            silos = n,
            figures = figures.ToDictionary(f => f.Name, f => Median(runs.Where(r => r.Result.Name == phase && r.Silos == n).Select(r => f.Value(r.Result)))),
        })).ToList();
        File.WriteAllText(json, JsonSerializer.Serialize(new { options = o, machine = Machine(), medians, runs }, new JsonSerializerOptions { WriteIndented = true }));

        var md = new StringBuilder();
        md.AppendLine(inv, $"# 1 silo against {string.Join(" and ", sizes.Skip(1))} silos, {date}");
        md.AppendLine();
        md.AppendLine(inv, $"`dotnet run -c Release --project load-tests/Integrity.Benchmarks -- {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}` on {Machine()}.");
        md.AppendLine(inv, $"Every silo a host process, all on one Azurite ({(o.InMemory ? "in memory" : "on a data folder")}), with the sender, on this one machine; the requests go round-robin over the silos. " +
            $"{o.Sellers:N0} sellers × 5 listings on average{(o.Skew > 0 ? $" (Zipf, skew {o.Skew})" : "")}, {o.Customers:N0} customers; {o.Workers} senders, {o.Batch:N0} events per request; checkpoints every {o.CheckpointInterval}. " +
            $"Medians of {o.Repeat} repeats (each repeat's values in brackets, sizes interleaved). Raw figures: `{Path.GetFileName(json)}`.");
        foreach (var phase in phases)
        {
            md.AppendLine();
            md.AppendLine(inv, $"**{phase}** ({(runs.First(r => r.Result.Name == phase).Result.TargetRate is { } t ? t.ToString("N0", inv) + " events/s asked" : "as fast as it takes them")}, {runs.First(r => r.Result.Name == phase).Result.SendSeconds:0} s of load)");
            md.AppendLine();
            md.AppendLine("| figure | " + string.Join(" | ", sizes.Select(n => $"{n} silo{(n == 1 ? "" : "s")}")) + $" | ratio {sizes[^1]}/{sizes[0]} |");
            md.AppendLine("|---|" + string.Concat(sizes.Select(_ => "---|")) + "---|");
            foreach (var (name, value, format) in figures)
            {
                var cells = sizes.Select(n =>
                {
                    var each = runs.Where(r => r.Result.Name == phase && r.Silos == n).Select(r => value(r.Result)).ToList();
                    var median = Median(each);
                    return median is null ? "–" : $"{median.Value.ToString(format, inv)} ({string.Join(", ", each.Select(v => v?.ToString(format, inv) ?? "–"))})";
                }).ToList();
                var first = Median(runs.Where(r => r.Result.Name == phase && r.Silos == sizes[0]).Select(r => value(r.Result)));
                var last = Median(runs.Where(r => r.Result.Name == phase && r.Silos == sizes[^1]).Select(r => value(r.Result)));
                var ratio = first is > 0 && last is not null ? $"×{last.Value / first.Value:0.00}" : "–";
                md.AppendLine(inv, $"| {name} | {string.Join(" | ", cells)} | {ratio} |");
            }
        }

        md.AppendLine();
        md.AppendLine("Journal partitions per silo at the end of each run (Orleans' consistent-ring queue balancer places them):");
        foreach (var r in runs.Where(r => r.Silos > 1))
        {
            md.AppendLine(inv, $"- {r.Silos} silos, repeat {r.Repeat}, {r.Result.Name}: {string.Join(" / ", (r.Result.PartitionsPerSilo ?? new Dictionary<string, int>()).Values.OrderDescending())}");
        }

        var problems = runs.SelectMany(r => r.Result.Problems.Select(p => $"{r.Silos} silos, repeat {r.Repeat}, {r.Result.Name}: {p}")).ToList();
        md.AppendLine();
        md.AppendLine(problems.Count == 0 ? "No request was answered other than 202, 503 or 429." : "Answers other than 202/503/429:\n" + string.Join("\n", problems.Take(20).Select(p => "- " + p)));
        var chart = $"scaling-{date}";
        var colours = new[] { "#1f77b4", "#d62728", "#2ca02c", "#9467bd" };
        Charts.Save(Path.Combine(o.Out, chart), [.. phases.Select(phase => Charts.Lines(new LineChart(
            $"{phase}: events applied + stored, repeat 1", "time since the phase started (s)", "events (cumulative)",
            [.. sizes.Select((n, i) => new ChartLine($"{n} silo{(n == 1 ? "" : "s")}", colours[i % colours.Length],
                [.. runs.First(r => r.Result.Name == phase && r.Silos == n).Result.Samples.Select(x => (x.Seconds, (double)x.Checkpointed))]))])))]);
        md.AppendLine();
        md.AppendLine(inv, $"![Events applied and stored over the load, per cluster size]({chart})");
        File.WriteAllText(Path.Combine(o.Out, $"scaling-{date}.generated.md"), md.ToString());
        Console.WriteLine("\n" + md);
    }

    private static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.Where(v => v is not null).Select(v => v!.Value).Order().ToList();
        return sorted.Count == 0 ? null : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>A chart per phase: cumulative events (accepted, journaled, applied + stored) and, on the right, stored lag against the bound.</summary>
    public static void Chart(string path, IReadOnlyList<PhaseResult> results)
    {
        const double bound = 30; // Ingest:MaxStoredLagSeconds, the host's default; the benchmark does not change it
        Charts.Save(path, [.. results.Select(r => Charts.Lines(new LineChart(r.Name, "time since the phase started (s)", "events (cumulative)",
        [
            new ChartLine("accepted", "#1f77b4", [.. r.Samples.Select(s => (s.Seconds, (double)s.Accepted))]),
            new ChartLine("journaled", "#9aa5b1", [.. r.Samples.Select(s => (s.Seconds, (double)s.Journaled))]),
            new ChartLine("applied + stored", "#2ca02c", [.. r.Samples.Select(s => (s.Seconds, (double)s.Checkpointed))]),
            new ChartLine("stored lag (s, right)", "#d62728", [.. r.Samples.Select(s => (s.Seconds, s.StoredLagSeconds))], RightAxis: true),
            new ChartLine($"bound {bound} s (right)", "#7b8794", r.Samples.Count == 0 ? [] : [(0, bound), (r.Samples[^1].Seconds, bound)], RightAxis: true),
        ], RightYLabel: "stored lag (s)")))]);
    }

    private static string Machine() => $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}";
}
