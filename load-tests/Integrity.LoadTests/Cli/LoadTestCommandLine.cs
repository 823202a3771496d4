using System.CommandLine;
using Integrity.Harness.Terminal;

namespace Integrity.LoadTests.Cli;

/// <summary>
/// The load harness's commands and options (System.CommandLine, with the harness tools' shared conventions:
/// <c>--help</c> everywhere, exit code 2 for an unknown option or a bad value). Commands read values by option name.
/// </summary>
public static class LoadTestCommandLine
{
    public static Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter output, TextWriter log, LiveProgress progress, TimeProvider time, CancellationToken cancellationToken) =>
        ToolCommandLine.InvokeAsync(
            Build((r, ct) => GenerateCommand.RunAsync(r, output, ct), (r, ct) => RunCommand.RunAsync(r, output, log, progress, time, ct), (r, ct) => AuditVerifyCommand.RunAsync(r, output, time, ct),
                (r, ct) => RaceCommand.RunAsync(r, output, log, time, ct)),
            args, output, log, cancellationToken);

    /// <summary>Parses without running (tests, and commands reading their options).</summary>
    public static ParseResult Parse(params string[] args) => Build((_, _) => Task.FromResult(0), (_, _) => Task.FromResult(0), (_, _) => Task.FromResult(0), (_, _) => Task.FromResult(0)).Parse(args);

    public static RootCommand Build(
        Func<ParseResult, CancellationToken, Task<int>> generate, Func<ParseResult, CancellationToken, Task<int>> run, Func<ParseResult, CancellationToken, Task<int>> auditVerify,
        Func<ParseResult, CancellationToken, Task<int>> race)
    {
        var generateCommand = new Command("generate", "Writes a marketplace's events, ground truth and ledger to a directory.")
        {
            new Option<string>("--out") { Description = "Directory for events.ndjson, ground-truth.json and ledger.json.", Required = true },
            ToolCommandLine.Duration("--duration", "Event time the traffic covers (default 7d; alias --span)."),
        };
        AddMarket(generateCommand);
        generateCommand.SetAction(generate);

        var runCommand = new Command("run", "Drives the engine's POST /v1/events with a generated (or written) stream, reads the engine back and writes the report.")
        {
            new Option<bool>("--self-host") { Description = "Start Azurite and the built Integrity.Host (with the test keys of Integrity.Testing); both are stopped by their PIDs when the run ends." },
            new Option<string>("--azurite-data") { Description = "With --self-host: Azurite's data folder (default: in memory)." },
            new Option<string>("--target") { Description = "Engine base URL (loopback only), e.g. http://127.0.0.1:5080; required without --self-host." },
            new Option<string>("--api-key") { Description = "A key with the ingest role (default $INTEGRITY_INGEST_KEY)." },
            new Option<string>("--viewer-key") { Description = "Reads the engine back over its query API and live feed (default $INTEGRITY_VIEWER_KEY)." },
            new Option<string>("--analyst-key") { Description = "Times the applying with /v1/admin/progress (default $INTEGRITY_ANALYST_KEY)." },
            new Option<string>("--storage") { Description = "The engine's storage connection string: applied counters from its grain-state table." },
            new Option<string>("--probe") { Description = "How to read the engine back.", DefaultValueFactory = _ => "auto" }.AcceptOnlyFromAmong("auto", "http", "storage", "none"),
            ToolCommandLine.Duration("--settle", "Longest wait after sending for the engine to apply what it accepted (default 2m)."),
            new Option<int?>("--concurrency") { Description = "Workers; one seller's events always go through one worker (default 8)." },
            ToolCommandLine.Rate("--rate", "Target events/s over all workers, or max (default)."),
            ToolCommandLine.Count("--events", "Send at most this many events (default: the whole stream)."),
            ToolCommandLine.Duration("--duration", "Bound on sending (default 10m); requests under way may finish within 30 s after it."),
            new Option<int?>("--batch") { Description = "Events per NDJSON request (default 500)." },
            new Option<bool>("--gzip") { Description = "Gzip request bodies." },
            new Option<int?>("--max-retries") { Description = "Resends of a batch after 503/429 (honoring Retry-After, capped at 30 s), another 5xx or no answer (default 5)." },
            new Option<string>("--input") { Description = "A directory written by generate, instead of generating." },
            new Option<string>("--report") { Description = "Where the report goes.", DefaultValueFactory = _ => "load-test-report" },
        };
        AddMarket(runCommand);
        runCommand.SetAction(run);

        return new RootCommand("Integrity load harness: a marketplace with known fraud, sent to the engine over HTTP, read back and reported; and the audit trail's verifier.")
        {
            generateCommand,
            runCommand,
            AuditVerifyCommand.Create(auditVerify),
            RaceCommand.Create(race),
        };
    }

    private static void AddMarket(Command command)
    {
        command.Add(new Option<int?>("--seed") { Description = "Generator seed (default 1)." });
        command.Add(new Option<int?>("--sellers") { Description = "Honest sellers (default 200)." });
        command.Add(ToolCommandLine.Duration("--span", "Event time the generated traffic covers (default 7d)."));
        command.Add(new Option<double?>("--fraud-rate") { Description = "Fraud incidents per honest seller (default 0.05)." });
        command.Add(new Option<DateTimeOffset?>("--start") { Description = "Event time the span starts at (default 2026-03-02T00:00:00Z)." });
        command.Add(new Option<double?>("--skew") { Description = "0: activity spread evenly (default); above 0, Zipf exponent of sellers', listings' and (halved) buyers' activity, e.g. 1." });
        command.Add(new Option<int?>("--customers") { Description = "Honest customer accounts (default 15 per honest seller)." });
    }
}
