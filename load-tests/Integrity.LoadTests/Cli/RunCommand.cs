using System.CommandLine;
using Integrity.Harness.Engine;
using Integrity.Harness.Market;
using Integrity.Harness.Sending;
using Integrity.Harness.Terminal;
using Integrity.LoadTests.Evaluation;
using Integrity.LoadTests.Probes;
using Integrity.LoadTests.Reports;
using Integrity.Testing;

namespace Integrity.LoadTests.Cli;

/// <summary><c>run</c>: drives the engine over HTTP with a generated (or previously written) stream and writes the report.</summary>
public static class RunCommand
{
    public const string NoProbeNote =
        "no way to read the engine back was given (--viewer-key for its query API, --storage for its tables, or --self-host; or --probe none), so events applied per entity, " +
        "decisions, precision/recall/time-to-detect, false positives and the exactly-once ledger check are not computed; ledger.json and accepted-event-ids.txt hold what the engine must have applied.";

    /// <returns>0; 1 when nothing sent was accepted; 3 when the engine was read back and the exactly-once ledger check failed.</returns>
    public static async Task<int> RunAsync(ParseResult cl, TextWriter output, TextWriter progress, LiveProgress live, TimeProvider time, CancellationToken cancellationToken)
    {
        var report = await ExecuteAsync(cl, output, progress, live, time, cancellationToken);
        return report.Totals.EventsSent > 0 && report.Totals.EventsAccepted == 0 ? 1
            : report.Engine is { Ledger.Passed: false } ? 3
            : 0;
    }

    /// <summary>The whole <c>run</c> command (self-hosting included), returning the report it wrote.</summary>
    public static async Task<RunReport> ExecuteAsync(ParseResult cl, TextWriter output, TextWriter progress, LiveProgress live, TimeProvider time, CancellationToken cancellationToken)
    {
        var engine = ReadEngineOptions(cl);
        var options = ReadOptions(cl, engine.SelfHost);
        var input = cl.GetValue<string>("--input");
        var reportDir = cl.GetRequiredValue<string>("--report");
        MarketplaceOptions? generated = input is null ? GenerateCommand.ReadMarketplace(cl, durationIsSpan: false) : null;

        IReadOnlyList<GeneratedEvent> events;
        GroundTruthFile? truth;
        string source;
        if (generated is not null)
        {
            await progress.WriteLineAsync($"generating the marketplace (seed {generated.Seed}, {generated.Sellers} sellers)...");
            var market = MarketplaceGenerator.Generate(generated);
            events = market.Events;
            truth = MarketplaceFiles.DescribeTruth(market);
            source = "generated in memory";
        }
        else
        {
            events = await MarketplaceFiles.ReadEventsAsync(Path.Combine(input!, MarketplaceFiles.EventsFile), cancellationToken);
            truth = await MarketplaceFiles.ReadGroundTruthAsync(Path.Combine(input!, MarketplaceFiles.GroundTruthFileName), cancellationToken);
            source = $"{Path.GetFullPath(input!)}";
        }

        EngineUnderTest? selfHosted = null;
        EventHandler? stopOnExit = null;
        try
        {
            if (engine.SelfHost)
            {
                await progress.WriteLineAsync($"self-host: starting Azurite ({engine.AzuriteData ?? "in memory"}) and the engine host, waiting for /health...");
                selfHosted = await EngineUnderTest.StartAsync(
                    healthyWithin: TimeSpan.FromSeconds(120), inMemoryStorage: engine.AzuriteData is null, azuriteDataDirectory: engine.AzuriteData, cancellationToken: cancellationToken);
                var started = selfHosted;
                stopOnExit = (_, _) => started.DisposeAsync().AsTask().GetAwaiter().GetResult();
                AppDomain.CurrentDomain.ProcessExit += stopOnExit;
                await progress.WriteLineAsync($"self-host: Azurite pid {selfHosted.Azurite.ProcessId} on table port {selfHosted.Azurite.Ports.Table}, engine host pid {selfHosted.Host!.ProcessId} at {selfHosted.BaseAddress}");
                options = options with { Target = selfHosted.BaseAddress, ApiKey = TestSecrets.IngestKey };
                engine = engine with { ViewerKey = TestSecrets.ViewerKey, AnalystKey = TestSecrets.AnalystKey, Storage = selfHosted.Azurite.ConnectionString };
            }

            return await DriveAsync(options, engine, events, truth, generated, source, reportDir, output, progress, live, time, cancellationToken);
        }
        finally
        {
            if (selfHosted is not null)
            {
                await progress.WriteLineAsync($"self-host: stopping the engine host (pid {selfHosted.Host?.ProcessId}) and Azurite (pid {selfHosted.Azurite.ProcessId})");
                if (Directory.Exists(reportDir) && selfHosted.Host?.Output is { Length: > 0 } log)
                {
                    // The host's own warnings and errors (it logs at Warning), for the record; the tail if long.
                    await File.WriteAllTextAsync(Path.Combine(reportDir, "host.log"), log.Length > 1_000_000 ? log[^1_000_000..] : log, CancellationToken.None);
                }

                AppDomain.CurrentDomain.ProcessExit -= stopOnExit;
                await selfHosted.DisposeAsync();
            }
        }
    }

    private static async Task<RunReport> DriveAsync(
        SenderOptions options, EngineAccess engine, IReadOnlyList<GeneratedEvent> events, GroundTruthFile? truth, MarketplaceOptions? generated, string source,
        string reportDir, TextWriter output, TextWriter progress, LiveProgress live, TimeProvider time, CancellationToken cancellationToken)
    {
        var total = Math.Min(events.Count, options.MaxEvents ?? long.MaxValue);
        await progress.WriteLineAsync($"sending {total:N0} of {events.Count:N0} events to {options.Target} with {options.Concurrency} workers, batch {options.Batch}, rate {(options.Rate?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "max")}");

        using var readBack = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 16 }) { Timeout = Timeout.InfiniteTimeSpan };
        await using var feed = engine.ViewerKey is { } viewer && engine.Probe != "none" && engine.Probe != "storage"
            ? await LiveDecisionFeed.StartAsync(readBack, options.Target, viewer, time, cancellationToken)
            : null;
        using var sender = new IngestSender(options, time);
        var (ledger, stats) = (sender.Ledger, sender.Stats);
        var startedAt = time.GetUtcNow();
        var sendStarted = time.GetTimestamp();
        await live.RunAsync("progress", stats.Progress(total), sender.RunAsync(events, cancellationToken));

        var sendSeconds = stats.Elapsed.TotalSeconds;
        var totals = stats.Totals();
        var summary = ledger.Summarize();
        var settings = new RunSettings(options.Target.ToString(), options.Concurrency, options.Rate, options.Batch, options.Gzip, options.MaxEvents,
            options.Duration.TotalSeconds, options.MaxRetries, source, generated?.Seed ?? truth?.Seed, generated?.Sellers ?? truth?.HonestSellers,
            generated?.FraudRate ?? truth?.FraudRate, generated?.Span.TotalDays ?? (truth is null ? null : (truth.End - truth.Start).TotalDays));

        EngineEvaluation? evaluation = null;
        EngineThroughput? applied = null;
        var note = NoProbeNote;
        var probe = await EngineProbes.CreateAsync(engine, options.Target, readBack, feed, cancellationToken);
        if (probe is not null && truth is not null)
        {
            var sent = (int)Math.Min(totals.EventsDispatched, events.Count);
            var scope = EvaluationScope.Of(events, sent, truth.ToGroundTruth());
            (long, Func<CancellationToken, Task<long>>)? counted = probe.Probe is IBulkEngineProbe bulk
                ? (ledger.PerEntity().Where(p => EvaluationScope.CountedKinds.Contains(p.Key.Kind)).Sum(p => p.Value),
                    async ct => (await bulk.GetAllEntitiesAsync(ct)).Values.Sum(c => c.EventsApplied))
                : null;
            applied = await EngineProgress.WaitAppliedAsync(readBack, options.Target, engine.AnalystKey, ledger.Count, sendStarted, engine.Settle, progress, time, cancellationToken,
                counted, engine.Storage is { } storage ? new JournalProgress(storage) : null);
            await progress.WriteLineAsync($"reading the engine back ({probe.Description})...");
            evaluation = await new EngineEvaluator(probe.Probe, time).EvaluateAsync(
                ledger, scope.Truth, scope.Population, new DetectionOptions(), applied?.Settled == true ? TimeSpan.FromSeconds(5) : engine.Settle, cancellationToken);
            note = probe.Description + scope.Note;
        }
        else if (probe is not null)
        {
            note = "the input has no ground truth, so the engine was not evaluated";
        }

        var report = new RunReport(startedAt, time.GetUtcNow(), settings, MachineInfo.Current(), events.Count, Math.Round(sendSeconds, 3),
            Math.Round(totals.EventsSent / Math.Max(sendSeconds, 0.001), 1), Math.Round(totals.EventsAccepted / Math.Max(sendSeconds, 0.001), 1),
            totals, stats.Latency(), stats.RejectionSamples(), summary.Events, summary.Uncertain, summary.PerKind, stats.Timeline(), evaluation, note, applied, engine.SelfHost);
        await ReportWriter.WriteAsync(reportDir, report, ledger, stats.LatencyHistogram(), cancellationToken);
        if (truth is not null) await MarketplaceFiles.WriteJsonAsync(Path.Combine(reportDir, MarketplaceFiles.GroundTruthFileName), truth, cancellationToken);

        await output.WriteLineAsync(
            $"sent {totals.EventsSent:N0}, accepted {totals.EventsAccepted:N0}, rejected {totals.EventsRejected:N0}, given up {totals.EventsGivenUp:N0}, uncertain {totals.EventsUncertain:N0} " +
            $"in {sendSeconds:0.0} s ({report.EventsPerSecondAccepted:N0} ev/s accepted); ingest p50 {report.IngestLatency.P50Ms:0.0} ms, p99 {report.IngestLatency.P99Ms:0.0} ms; " +
            $"report in {Path.GetFullPath(reportDir)}");
        if (evaluation is { } e)
        {
            var d = e.Detection;
            await output.WriteLineAsync(
                $"engine: ledger {(e.Ledger.Passed ? "PASSED" : "FAILED")} ({e.Ledger.EventsApplied:N0} of {e.Ledger.EventsExpected:N0} applications, {e.Ledger.MissingApplications:N0} missing, {e.Ledger.ExtraApplications:N0} extra); " +
                $"recall {d.CulpritsDetected}/{d.Culprits}, {d.FalsePositives.Count} false positive(s), {e.DecisionsRead:N0} decisions" +
                (applied is { Settled: true } a ? $"; applied {a.EventsPerSecond:N0} ev/s" : ""));
        }

        return report;
    }

    /// <summary>Where the engine is and how to read it back: self-hosted, or given by --target and keys.</summary>
    public static EngineAccess ReadEngineOptions(ParseResult cl)
    {
        var access = new EngineAccess
        {
            SelfHost = cl.GetValue<bool>("--self-host"),
            AzuriteData = cl.GetValue<string>("--azurite-data"),
            ViewerKey = cl.GetValue<string>("--viewer-key") ?? Environment.GetEnvironmentVariable("INTEGRITY_VIEWER_KEY"),
            AnalystKey = cl.GetValue<string>("--analyst-key") ?? Environment.GetEnvironmentVariable("INTEGRITY_ANALYST_KEY"),
            Storage = cl.GetValue<string>("--storage"),
            Probe = cl.GetRequiredValue<string>("--probe"),
            Settle = cl.GetValue<TimeSpan?>("--settle") ?? TimeSpan.FromMinutes(2),
        };
        if (access.SelfHost && (cl.GetValue<string>("--target") is not null || cl.GetValue<string>("--api-key") is not null))
        {
            throw new UsageException("--self-host starts its own engine: leave out --target and --api-key");
        }

        if (!access.SelfHost && access.AzuriteData is not null) throw new UsageException("--azurite-data only goes with --self-host");
        if (access.Probe == "storage" && access.Storage is null && !access.SelfHost) throw new UsageException("--probe storage needs --storage CONNECTION-STRING or --self-host");
        if (access.Probe == "http" && access.ViewerKey is null && !access.SelfHost) throw new UsageException("--probe http needs --viewer-key (or $INTEGRITY_VIEWER_KEY) or --self-host");
        if (access.Settle <= TimeSpan.Zero || access.Settle > TimeSpan.FromHours(1)) throw new UsageException($"--settle must be between 1s and 1h, got {access.Settle}");
        return access;
    }

    public static SenderOptions ReadOptions(ParseResult cl, bool selfHost = false)
    {
        // Self-hosted: the engine's address and key are known once it runs; these placeholders pass validation.
        var target = selfHost ? "http://127.0.0.1:1/" : cl.GetValue<string>("--target") ?? throw new UsageException("--target URL is required (e.g. http://127.0.0.1:5080), or --self-host");
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri)) throw new UsageException($"--target must be an absolute URL, got '{target}'");
        var defaults = new SenderOptions { Target = uri, ApiKey = "-" };
        var options = new SenderOptions
        {
            Target = uri,
            ApiKey = selfHost ? "self-hosted" : cl.GetValue<string>("--api-key") ?? Environment.GetEnvironmentVariable("INTEGRITY_INGEST_KEY") ?? "",
            Concurrency = cl.GetValue<int?>("--concurrency") ?? defaults.Concurrency,
            Rate = ToolCommandLine.RateValue(cl, "--rate"),
            MaxEvents = cl.GetValue<long?>("--events"),
            Duration = cl.GetValue<TimeSpan?>("--duration") ?? defaults.Duration,
            Batch = cl.GetValue<int?>("--batch") ?? defaults.Batch,
            Gzip = cl.GetValue<bool>("--gzip"),
            MaxRetries = cl.GetValue<int?>("--max-retries") ?? defaults.MaxRetries,
        };
        var errors = options.Validate();
        return errors.Count == 0 ? options : throw new UsageException(string.Join("; ", errors));
    }
}
