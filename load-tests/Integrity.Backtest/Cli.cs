using System.CommandLine;
using System.Diagnostics;
using Integrity.Backtest.Input;
using Integrity.Backtest.Output;
using Integrity.Domain.Policy;
using Integrity.Domain.Wire;
using Integrity.Harness.Terminal;

namespace Integrity.Backtest;

/// <summary>The command line: <c>replay</c> an events file, or write a <c>synthetic</c> review file for timing.</summary>
internal static class Cli
{
    /// <returns>0 when the command ran (a replay even with rejected lines), 2 on bad arguments or policy, 1 otherwise.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, LiveProgress? progress = null)
    {
        var input = new Argument<FileInfo>("INPUT")
        {
            Description = "A review CSV (header date,reviewer,product,rating [,seq|id] [,text]) or NDJSON wire events (by --format, else by extension: .ndjson/.jsonl → ndjson, anything else → csv).",
        }.AcceptExistingOnly();
        var outDir = new Option<string>("--out") { Description = "Directory for reviews.csv, reviewers.csv, listings.csv, sellers.csv, the two-column views, rejected.csv and summary.json.", Required = true };
        var policy = new Option<FileInfo>("--policy") { Description = "A policy file (JSON in the shape of PolicyOptions) laid over the default policy." }.AcceptExistingOnly();
        var format = new Option<string?>("--format") { Description = "csv or ndjson (default: by extension)." }.AcceptOnlyFromAmong("csv", "ndjson");
        var hashKey = new Option<string?>("--hash-key") { Description = "Base64 key for hashing personal identifiers in NDJSON input (default: random; hashes only need to match within one run)." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress." };
        var replay = new Command("replay", "Replays a history through the domain's ReplayEngine on event time and writes every entity's score.") { input, outDir, policy, format, hashKey, quiet };
        replay.SetAction(r => UsageOnBadData(() => Replay(r.GetRequiredValue(input).FullName, r.GetRequiredValue(outDir), r.GetValue(policy)?.FullName, r.GetValue(format), r.GetValue(hashKey),
            r.GetValue(quiet) ? null : progress ?? LiveProgress.ForStandardError(TimeSpan.FromSeconds(10)), stdout, stderr)));

        var compareInput = new Argument<FileInfo>("INPUT") { Description = input.Description }.AcceptExistingOnly();
        var compareOut = new Option<string>("--out") { Description = "Directory for comparison.json and comparison.md.", Required = true };
        var active = new Option<FileInfo>("--active") { Description = "The active policy file (default: the default policy)." }.AcceptExistingOnly();
        var candidate = new Option<FileInfo>("--candidate") { Description = "The candidate policy file, compared against the active one.", Required = true }.AcceptExistingOnly();
        var examples = new Option<int>("--examples") { Description = "Entities listed per outcome (both, only active, only candidate).", DefaultValueFactory = _ => PolicyComparison.DefaultExamples };
        examples.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 10_000) r.AddError("--examples must be 0..10000"); });
        var compare = new Command("compare", "Replays a history under two policies and compares their decisions, as the live shadow comparison does (GET /v1/policy/compare).")
        {
            compareInput, compareOut, active, candidate, examples, format, hashKey, quiet,
        };
        compare.SetAction(r => UsageOnBadData(() => Compare(r.GetRequiredValue(compareInput).FullName, r.GetRequiredValue(compareOut), r.GetValue(active)?.FullName,
            r.GetRequiredValue(candidate).FullName, r.GetValue(examples), r.GetValue(format), r.GetValue(hashKey), r.GetValue(quiet), stdout, stderr)));

        var reviews = new Option<int>("--reviews") { Description = "How many reviews.", Required = true };
        reviews.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--reviews must be at least 1"); });
        var outFile = new Option<string>("--out") { Description = "The CSV file to write.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var synthetic = new Command("synthetic", "Writes a synthetic review CSV for timing runs (do not commit it).") { reviews, outFile, seed };
        synthetic.SetAction(r =>
        {
            using (var writer = new StreamWriter(r.GetRequiredValue(outFile)) { NewLine = "\n" }) SyntheticReviews.Write(writer, r.GetValue(reviews), r.GetValue(seed));
            stderr.WriteLine($"wrote {r.GetValue(reviews):N0} synthetic reviews to {r.GetValue(outFile)}");
        });

        var root = new RootCommand("Integrity backtest: replays a history through the engine's domain, in process, on event time.") { replay, compare, synthetic };
        return ToolCommandLine.InvokeAsync(root, args, stdout, stderr).GetAwaiter().GetResult();
    }

    private static int Replay(string input, string outDir, string? policyPath, string? format, string? hashKey, LiveProgress? progress, TextWriter stdout, TextWriter stderr)
    {
        var policy = policyPath is null ? new PolicyOptions() : PolicyFile.Load(policyPath);
        var (batch, readTime) = Read(input, format, hashKey, stderr, Path.Combine(outDir, "rejected.csv"));
        if (progress is not null) stderr.WriteLine($"read {batch.Events.Count:N0} events ({batch.Rejected.Count:N0} lines rejected) from {input} in {readTime.TotalSeconds:0.0}s; policy {policy.Version}");

        BacktestResult result;
        if (progress is null)
        {
            result = Backtester.Run(batch.Events, policy);
        }
        else
        {
            (long Done, long Total) now = (0, batch.Events.Count);
            var started = Stopwatch.StartNew();
            result = progress.RunAsync("replay", () =>
            {
                var (done, total) = now;
                return new ProgressReading(done, total, FormattableString.Invariant($"{done:N0}/{total:N0} events, {done / Math.Max(started.Elapsed.TotalSeconds, 1e-3):N0}/s"));
            }, Task.Run(() => Backtester.Run(batch.Events, policy, (done, total) => now = (done, total)))).GetAwaiter().GetResult();
        }

        ResultWriter.Write(outDir, batch, result, input, readTime);
        stdout.WriteLine($"replayed {result.EventsApplied:N0} events ({result.Reviews.Count:N0} reviews) in {result.Elapsed.TotalSeconds:0.0}s " +
            $"({result.EventsApplied / Math.Max(result.Elapsed.TotalSeconds, 1e-9):N0} events/s; {result.EventsApplied / Math.Max(result.Cost.Cpu.TotalSeconds, 1e-9):N0} per CPU-second, {result.Cost.AllocatedBytes / Math.Max(1, result.EventsApplied):N0} B allocated/event, " +
            $"GC paused {result.Cost.GcPause.TotalSeconds:0.0}s), {batch.Rejected.Count:N0} lines rejected, {result.Engine.DecisionCount:N0} decisions → {outDir}");
        return 0;
    }

    /// <summary>Reads the input (format by option, else by extension), naming the first rejected lines on stderr.</summary>
    private static (InputBatch Batch, TimeSpan ReadTime) Read(string input, string? format, string? hashKey, TextWriter stderr, string rejectedWhere)
    {
        format ??= Path.GetExtension(input).ToLowerInvariant() is ".ndjson" or ".jsonl" ? "ndjson" : "csv";
        var watch = Stopwatch.StartNew();
        InputBatch batch;
        using (var reader = new StreamReader(input, detectEncodingFromByteOrderMarks: true))
        {
            batch = format == "csv" ? ReviewCsvReader.Read(reader) : NdjsonEventReader.Read(reader, new EventParser(new IdentifierHasher(HashKey(hashKey))));
        }

        foreach (var r in batch.Rejected.Take(20)) stderr.WriteLine($"line {r.Line}: {r.Code}: {r.Reason}");
        if (batch.Rejected.Count > 20) stderr.WriteLine($"… and {batch.Rejected.Count - 20} more rejected lines (all in {rejectedWhere})");
        return (batch, watch.Elapsed);
    }

    /// <summary>
    /// Both policies replay the whole history on their own (each step of one reaches its neighbours as in the cluster),
    /// and their decisions go through the same comparison as the live shadow's.
    /// </summary>
    private static int Compare(string input, string outDir, string? activePath, string candidatePath, int examples, string? format, string? hashKey, bool quiet, TextWriter stdout, TextWriter stderr)
    {
        var active = activePath is null ? new PolicyOptions() : PolicyFile.Load(activePath);
        var candidate = PolicyFile.Load(candidatePath);
        if (active.Version == candidate.Version) throw new UsageException($"--active and --candidate are both version '{active.Version}': give the candidate a version of its own");
        var (batch, _) = Read(input, format, hashKey, stderr, "the input");
        if (!quiet) stderr.WriteLine($"read {batch.Events.Count:N0} events ({batch.Rejected.Count:N0} lines rejected); replaying under {active.Version} and {candidate.Version}");

        var underActive = Backtester.Run(batch.Events, active, collectDecisions: true).Engine.Decisions;
        var underCandidate = Backtester.Run(batch.Events, candidate, collectDecisions: true).Engine.Decisions;
        var report = PolicyComparison.Compare(
            underActive.Where(d => d.Origin == Domain.Enforcement.DecisionOrigin.Automatic).Select(ComparedDecisions.From),
            underCandidate.Where(d => d.Origin == Domain.Enforcement.DecisionOrigin.Automatic).Select(ComparedDecisions.From),
            examples);
        var times = batch.Events.Select(e => e.Event.OccurredAt).ToList();
        ComparisonWriter.Write(outDir, new BacktestComparison(active.Version, candidate.Version, input, batch.Events.Count, batch.Rejected.Count,
            times.Count == 0 ? null : times.Min(), times.Count == 0 ? null : times.Max(), report));
        stdout.WriteLine($"{active.Version}: {report.Active:N0} decisions, {candidate.Version}: {report.Candidate:N0}; both {report.Both:N0}, " +
            $"only {active.Version} {report.OnlyActive:N0}, only {candidate.Version} {report.OnlyCandidate:N0} → {outDir}");
        return 0;
    }

    /// <summary>A policy or input file that cannot be used is a usage error (exit 2), its message saying where.</summary>
    private static int UsageOnBadData(Func<int> run)
    {
        try
        {
            return run();
        }
        catch (InvalidDataException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>Identifier hashes only need to be equal within one run (they are never written out), so a random key serves by default.</summary>
    private static byte[] HashKey(string? base64)
    {
        if (base64 is null) return System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new UsageException("--hash-key must be base64");
        }
    }
}
