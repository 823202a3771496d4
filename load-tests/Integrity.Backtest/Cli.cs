using System.CommandLine;
using System.Diagnostics;
using Integrity.Backtest.Fitting;
using Integrity.Backtest.Input;
using Integrity.Backtest.Output;
using Integrity.Domain.Learning;
using Integrity.Domain.Policy;
using Integrity.Domain.Wire;
using Integrity.Harness.Terminal;

namespace Integrity.Backtest;

/// <summary>The command line: <c>replay</c> an events file, <c>compare</c> two policies on it, <c>fit</c> a policy's weights to labels, or write a <c>synthetic</c> review file for timing.</summary>
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

        var fitInput = new Argument<FileInfo>("HISTORY") { Description = input.Description }.AcceptExistingOnly();
        var labels = new Option<string>("--labels") { Description = "A labels CSV: the history's review key (seq or id) and a 0/1 label column (--label-column); other columns are ignored.", Required = true };
        var labelColumn = new Option<string>("--label-column") { Description = "The label column of --labels.", DefaultValueFactory = _ => LabelsFile.DefaultLabelColumn };
        var fitOut = new Option<string>("--out") { Description = "Directory for policy.json (the fitted policy file), fit.json and fit.md.", Required = true };
        var basePolicy = new Option<FileInfo>("--policy") { Description = "The base policy file replayed and fitted from (default: the default policy)." }.AcceptExistingOnly();
        var until = new Option<string?>("--until") { Description = "Replay and take labels only up to this date (2008-10-12 = through that day, UTC) or ISO 8601 time: an honest time split." };
        var l2 = new Option<double>("--l2") { Description = "L2 penalty λ/2·Σ(w − w_base)² against the mean log-loss per example.", DefaultValueFactory = _ => new NoisyOrFitOptions().L2 };
        l2.Validators.Add(r => { if (r.GetValueOrDefault<double>() is < 0 or > 1000 || double.IsNaN(r.GetValueOrDefault<double>())) r.AddError("--l2 must be 0..1000"); });
        var version = new Option<string?>("--version") { Description = "Version of the fitted policy (default: <base version>-fit-<yyyyMMdd>)." };
        var level = new Option<string>("--examples") { Description = "reviews: one example per labelled review (fits reviewer weights and ReviewRisk's Listing/Deviation/Extreme weights); reviewers: one per reviewer with a labelled review, positive if any is.", DefaultValueFactory = _ => "reviews" }.AcceptOnlyFromAmong("reviews", "reviewers");
        var fit = new Command("fit", "Replays a history under a base policy, fits its reviewer signal weights to labelled outcomes (noisy-OR maximum likelihood) and writes a policy file with a new version and a report.")
        {
            fitInput, labels, labelColumn, fitOut, basePolicy, until, l2, version, level, format, hashKey, quiet,
        };
        fit.SetAction(r => UsageOnBadData(() => Fit(new FitArguments(r.GetRequiredValue(fitInput).FullName, r.GetRequiredValue(labels), r.GetRequiredValue(labelColumn), r.GetRequiredValue(fitOut),
            r.GetValue(basePolicy)?.FullName, r.GetValue(until), r.GetValue(l2), r.GetValue(version), r.GetRequiredValue(level) == "reviews" ? ExampleLevel.Reviews : ExampleLevel.Reviewers,
            r.GetValue(format), r.GetValue(hashKey)), r.GetValue(quiet) ? null : progress ?? LiveProgress.ForStandardError(TimeSpan.FromSeconds(10)), stdout, stderr)));

        var verdictsInput = new Argument<FileInfo>("VERDICTS") { Description = "The answer of GET /v1/reports/verdicts saved to a file (or its verdicts array)." }.AcceptExistingOnly();
        var verdictsOut = new Option<string>("--out") { Description = fitOut.Description, Required = true };
        var verdictsPolicy = new Option<FileInfo>("--policy") { Description = "The base policy file the weights are fitted from (default: the default policy); the policy the verdicts' decisions were made under is best." }.AcceptExistingOnly();
        var verdictsL2 = new Option<double>("--l2") { Description = l2.Description, DefaultValueFactory = _ => new NoisyOrFitOptions().L2 };
        verdictsL2.Validators.Add(r => { if (r.GetValueOrDefault<double>() is < 0 or > 1000 || double.IsNaN(r.GetValueOrDefault<double>())) r.AddError("--l2 must be 0..1000"); });
        var verdictsVersion = new Option<string?>("--version") { Description = version.Description };
        var fitVerdicts = new Command("fit-verdicts", "Fits the base policy's signal weights to analysts' verdicts on its decisions (confirmed: the decision stood; reversed or reinstated: it did not) and writes a policy file with a new version and a report. Every example is a decision the policy took, so it learns which reasons analysts uphold, not what the policy missed.")
        {
            verdictsInput, verdictsOut, verdictsPolicy, verdictsL2, verdictsVersion,
        };
        fitVerdicts.SetAction(r => UsageOnBadData(() => FitVerdicts(r.GetRequiredValue(verdictsInput).FullName, r.GetRequiredValue(verdictsOut), r.GetValue(verdictsPolicy)?.FullName,
            r.GetValue(verdictsL2), r.GetValue(verdictsVersion), stdout, stderr)));

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

        var root = new RootCommand("Integrity backtest: replays a history through the engine's domain, in process, on event time.") { replay, compare, fit, fitVerdicts, synthetic };
        return ToolCommandLine.InvokeAsync(root, args, stdout, stderr).GetAwaiter().GetResult();
    }

    private static int Replay(string input, string outDir, string? policyPath, string? format, string? hashKey, LiveProgress? progress, TextWriter stdout, TextWriter stderr)
    {
        var policy = policyPath is null ? new PolicyOptions() : PolicyFile.Load(policyPath);
        var (batch, readTime) = Read(input, format, hashKey, stderr, Path.Combine(outDir, "rejected.csv"));
        if (progress is not null) stderr.WriteLine($"read {batch.Events.Count:N0} events ({batch.Rejected.Count:N0} lines rejected) from {input} in {readTime.TotalSeconds:0.0}s; policy {policy.Version}");

        var result = RunWithProgress(batch.Events, policy, progress);
        ResultWriter.Write(outDir, batch, result, input, readTime);
        stdout.WriteLine($"replayed {result.EventsApplied:N0} events ({result.Reviews.Count:N0} reviews) in {result.Elapsed.TotalSeconds:0.0}s " +
            $"({result.EventsApplied / Math.Max(result.Elapsed.TotalSeconds, 1e-9):N0} events/s; {result.EventsApplied / Math.Max(result.Cost.Cpu.TotalSeconds, 1e-9):N0} per CPU-second, {result.Cost.AllocatedBytes / Math.Max(1, result.EventsApplied):N0} B allocated/event, " +
            $"GC paused {result.Cost.GcPause.TotalSeconds:0.0}s), {batch.Rejected.Count:N0} lines rejected, {result.Engine.DecisionCount:N0} decisions → {outDir}");
        return 0;
    }

    private static BacktestResult RunWithProgress(IReadOnlyList<InputEvent> events, PolicyOptions policy, LiveProgress? progress)
    {
        if (progress is null) return Backtester.Run(events, policy);
        (long Done, long Total) now = (0, events.Count);
        var started = Stopwatch.StartNew();
        return progress.RunAsync("replay", () =>
        {
            var (done, total) = now;
            return new ProgressReading(done, total, FormattableString.Invariant($"{done:N0}/{total:N0} events, {done / Math.Max(started.Elapsed.TotalSeconds, 1e-3):N0}/s"));
        }, Task.Run(() => Backtester.Run(events, policy, (done, total) => now = (done, total)))).GetAwaiter().GetResult();
    }

    private sealed record FitArguments(string Input, string Labels, string LabelColumn, string OutDir, string? PolicyPath, string? Until, double L2, string? Version,
        ExampleLevel Level, string? Format, string? HashKey);

    /// <summary>
    /// Replays the history (up to <c>--until</c>) under the base policy, joins the labels on the review key, fits and
    /// writes the policy file, then loads it back as <c>replay --policy</c> would.
    /// </summary>
    private static int Fit(FitArguments a, LiveProgress? progress, TextWriter stdout, TextWriter stderr)
    {
        var policy = a.PolicyPath is null ? new PolicyOptions() : PolicyFile.Load(a.PolicyPath);
        if (a.Level == ExampleLevel.Reviews && policy.ReviewRisk.ReviewerWeight != 1)
        {
            throw new UsageException($"--examples reviews needs ReviewRisk:ReviewerWeight 1 in the base policy (a review's score is then one noisy-OR over its reviewer's signals), got {policy.ReviewRisk.ReviewerWeight}; use --examples reviewers");
        }

        var until = a.Until is null ? (DateTimeOffset?)null : LabelsFile.ParseUntil(a.Until);
        var version = a.Version ?? $"{policy.Version}-fit-{DateTimeOffset.UtcNow:yyyyMMdd}";
        if (string.IsNullOrWhiteSpace(version) || version == policy.Version) throw new UsageException($"--version must be non-empty and differ from the base policy's ('{policy.Version}')");
        var (batch, _) = Read(a.Input, a.Format, a.HashKey, stderr, "the input");
        var labels = LabelsFile.Read(a.Labels, batch.ReviewKeyColumn, a.LabelColumn);
        var events = until is { } end ? batch.Events.Where(e => e.Event.OccurredAt <= end).ToList() : batch.Events;
        if (progress is not null)
        {
            stderr.WriteLine($"read {batch.Events.Count:N0} events ({batch.Rejected.Count:N0} lines rejected) from {a.Input}, {labels.Count:N0} labels from {a.Labels}; " +
                $"replaying {events.Count:N0}{(until is { } u ? $" up to {u:O}" : "")} under {policy.Version}");
        }

        var result = RunWithProgress(events, policy, progress);
        var matched = result.Reviews.Count(r => labels.ContainsKey(r.Key));
        if (matched == 0)
        {
            throw new UsageException($"no {batch.ReviewKeyColumn} of {a.Labels} matches a review of {a.Input}{(until is null ? "" : " up to --until")}: nothing to fit");
        }

        var problem = FitExamples.Build(result.Engine, result.Reviews, labels, a.Level);
        if (progress is not null) stderr.WriteLine($"{problem.Examples.Count:N0} labelled {a.Level.ToString().ToLowerInvariant()} ({problem.Examples.Count(e => e.Positive):N0} positive) over {problem.Current.Count} weights; fitting");
        var fitted = NoisyOrFitter.Fit(problem.Examples, problem.Current, new NoisyOrFitOptions { L2 = a.L2 });
        return Written(a.OutDir, new FitRun(a.Input, a.Labels, policy.Version, version, a.Level, until, a.L2, labels.Count, matched, fitted),
            $"{fitted.Examples:N0} {a.Level.ToString().ToLowerInvariant()} ({fitted.Positives:N0} positive)", stdout, stderr);
    }

    /// <summary>Writes the fit's files, loads the policy file back as <c>replay --policy</c> would (1 when it does not load) and prints what changed.</summary>
    private static int Written(string outDir, FitRun run, string examples, TextWriter stdout, TextWriter stderr)
    {
        FitWriter.Write(outDir, run);
        var written = Path.Combine(outDir, "policy.json");
        try
        {
            PolicyFile.Load(written);
        }
        catch (InvalidDataException ex)
        {
            stderr.WriteLine($"the fitted policy does not load: {ex.Message}");
            return 1;
        }

        var fitted = run.Fit;
        var changed = fitted.Weights.Where(FitWriter.Changed).ToList();
        stdout.WriteLine($"fitted {run.Version} on {examples}: log-loss {fitted.LogLossBefore:0.0000} → {fitted.LogLossAfter:0.0000}, " +
            $"{changed.Count} of {fitted.Weights.Count} weights changed ({string.Join(", ", changed.Select(w => $"{w.Code} {w.OldWeight:0.####}→{FitWriter.Rounded(w.NewWeight):0.####}"))}) → {written}");
        return 0;
    }

    /// <summary>Fits the weights of the signals the verdicts' decisions cited; writes and loads back the policy file as <see cref="Fit"/> does.</summary>
    private static int FitVerdicts(string input, string outDir, string? policyPath, double l2, string? versionName, TextWriter stdout, TextWriter stderr)
    {
        var policy = policyPath is null ? new PolicyOptions() : PolicyFile.Load(policyPath);
        var version = versionName ?? $"{policy.Version}-verdicts-{DateTimeOffset.UtcNow:yyyyMMdd}";
        if (string.IsNullOrWhiteSpace(version) || version == policy.Version) throw new UsageException($"--version must be non-empty and differ from the base policy's ('{policy.Version}')");
        var verdicts = VerdictsFile.Read(input);
        var (problem, ignored) = VerdictsFile.Examples(verdicts, policy);
        if (problem.Current.Count == 0) throw new UsageException($"{input}: no verdict cites a signal {policy.Version} weighs: nothing to fit");
        if (ignored.Count > 0) stderr.WriteLine($"reasons {policy.Version} does not weigh, left out: {string.Join(", ", ignored)}");

        var fitted = NoisyOrFitter.Fit(problem.Examples, problem.Current, new NoisyOrFitOptions { L2 = l2 });
        return Written(outDir, new FitRun(input, input, policy.Version, version, ExampleLevel.Verdicts, null, l2, verdicts.Count, verdicts.Count, fitted),
            $"{fitted.Examples:N0} verdicts ({fitted.Positives:N0} upheld)", stdout, stderr);
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
