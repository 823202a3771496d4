using System.Net;
using Integrity.LoadTests.Driver;
using Integrity.LoadTests.Evaluation;
using Integrity.LoadTests.Marketplace;
using Integrity.LoadTests.Reports;

namespace Integrity.LoadTests.Cli;

/// <summary><c>run</c>: drives the engine over HTTP with a generated (or previously written) stream and writes the report.</summary>
public static class RunCommand
{
    public const string Usage = """
          run       --target http://127.0.0.1:5080 --api-key KEY [--concurrency 8] [--rate N|max] [--events N] [--duration 10m]
                    [--batch 500] [--gzip] [--max-retries 5] [--report DIR]
                    [--input DIR (from generate)] | [--seed N] [--sellers N] [--span 7d] [--fraud-rate 0.05]
        """;

    public const string NoProbeNote =
        "the engine does not serve its query API yet, so events applied per entity, decisions, precision/recall/time-to-detect, " +
        "false positives and the exactly-once ledger check are not computed; ledger.json and accepted-event-ids.txt hold what the engine must have applied.";

    public static async Task<int> RunAsync(CommandLine cl, TextWriter output, TextWriter progress, bool interactive, TimeProvider time, CancellationToken cancellationToken)
    {
        var options = ReadOptions(cl);
        var input = cl.String("input");
        var reportDir = cl.String("report") ?? "load-test-report";
        MarketplaceOptions? generated = input is null ? GenerateCommand.ReadMarketplace(cl, durationIsSpan: false) : null;
        cl.EnsureAllUsed();

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

        var total = Math.Min(events.Count, options.MaxEvents ?? long.MaxValue);
        await progress.WriteLineAsync($"sending {total:N0} of {events.Count:N0} events to {options.Target} with {options.Concurrency} workers, batch {options.Batch}, rate {(options.Rate?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "max")}");

        using var http = CreateClient(options);
        var ledger = new EventLedger();
        var stats = new RunStatistics(time);
        var startedAt = time.GetUtcNow();
        using var stopProgress = new CancellationTokenSource();
        var reporter = new ProgressReporter(progress, interactive, time).RunAsync(stats, total, stopProgress.Token);
        try
        {
            await new HttpIngestDriver(http, options, time).RunAsync(events, ledger, stats, cancellationToken);
        }
        finally
        {
            await stopProgress.CancelAsync();
            await reporter;
        }

        var sendSeconds = stats.Elapsed.TotalSeconds;
        var totals = stats.Totals();
        var summary = ledger.Summarize();
        var settings = new RunSettings(options.Target.ToString(), options.Concurrency, options.Rate, options.Batch, options.Gzip, options.MaxEvents,
            options.Duration.TotalSeconds, options.MaxRetries, source, generated?.Seed ?? truth?.Seed, generated?.Sellers ?? truth?.HonestSellers,
            generated?.FraudRate ?? truth?.FraudRate, generated?.Span.TotalDays ?? (truth is null ? null : (truth.End - truth.Start).TotalDays));

        // TODO(engine query API): evaluate with an HTTP IEngineProbe here (EngineEvaluator) once the engine serves entity counters and decisions.
        var report = new RunReport(startedAt, time.GetUtcNow(), settings, MachineInfo.Current(), events.Count, Math.Round(sendSeconds, 3),
            Math.Round(totals.EventsSent / Math.Max(sendSeconds, 0.001), 1), Math.Round(totals.EventsAccepted / Math.Max(sendSeconds, 0.001), 1),
            totals, stats.Latency(), stats.RejectionSamples(), summary.Events, summary.Uncertain, summary.PerKind, stats.Timeline(), null, NoProbeNote);
        await ReportWriter.WriteAsync(reportDir, report, ledger, cancellationToken);
        if (truth is not null) await MarketplaceFiles.WriteJsonAsync(Path.Combine(reportDir, MarketplaceFiles.GroundTruthFileName), truth, cancellationToken);

        await output.WriteLineAsync(
            $"sent {totals.EventsSent:N0}, accepted {totals.EventsAccepted:N0}, rejected {totals.EventsRejected:N0}, given up {totals.EventsGivenUp:N0}, uncertain {totals.EventsUncertain:N0} " +
            $"in {sendSeconds:0.0} s ({report.EventsPerSecondAccepted:N0} ev/s accepted); ingest p50 {report.IngestLatency.P50Ms:0.0} ms, p99 {report.IngestLatency.P99Ms:0.0} ms; " +
            $"report in {Path.GetFullPath(reportDir)}");
        return totals.EventsSent > 0 && totals.EventsAccepted == 0 ? 1 : 0;
    }

    public static RunOptions ReadOptions(CommandLine cl)
    {
        var target = cl.String("target") ?? throw new UsageException("--target URL is required (e.g. http://127.0.0.1:5080)");
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri)) throw new UsageException($"--target must be an absolute URL, got '{target}'");
        var defaults = new RunOptions { Target = uri, ApiKey = "-" };
        var (_, rate) = cl.Rate("rate");
        var options = new RunOptions
        {
            Target = uri,
            ApiKey = cl.String("api-key") ?? Environment.GetEnvironmentVariable("INTEGRITY_INGEST_KEY") ?? "",
            Concurrency = cl.Int("concurrency") ?? defaults.Concurrency,
            Rate = rate,
            MaxEvents = cl.Long("events"),
            Duration = cl.Duration("duration") ?? defaults.Duration,
            Batch = cl.Int("batch") ?? defaults.Batch,
            Gzip = cl.Flag("gzip"),
            MaxRetries = cl.Int("max-retries") ?? defaults.MaxRetries,
        };
        var errors = options.Validate();
        return errors.Count == 0 ? options : throw new UsageException(string.Join("; ", errors));
    }

    /// <summary>One connection per worker, no client-side timeout (the driver has its own, on the TimeProvider).</summary>
    public static HttpClient CreateClient(RunOptions options) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = options.Concurrency,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
