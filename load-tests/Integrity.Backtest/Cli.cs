using System.Diagnostics;
using Integrity.Backtest.Input;
using Integrity.Backtest.Output;
using Integrity.Domain.Policy;
using Integrity.Domain.Wire;

namespace Integrity.Backtest;

/// <summary>The command line: <c>replay</c> an events file, or write a <c>synthetic</c> review file for timing.</summary>
internal static class Cli
{
    public const string Usage = """
        usage:
          integrity-backtest replay INPUT --out DIR [--policy FILE] [--format csv|ndjson] [--hash-key BASE64] [--quiet]
              INPUT: a review CSV (header date,reviewer,product,rating [,seq|id] [,text]) or our NDJSON wire events
              (chosen by --format, else by extension: .ndjson/.jsonl → ndjson, anything else → csv).
              Writes DIR/reviews.csv, reviewers.csv, listings.csv, sellers.csv, reviews-at-arrival.csv,
              reviewers-at-first-review.csv, rejected.csv, summary.json. Bad lines are reported with their line number
              and skipped. Exit code 0 when the replay ran (even with rejected lines), 2 on bad arguments or policy, 1 otherwise.
          integrity-backtest synthetic --reviews N --out FILE [--seed S]
              A synthetic review CSV for timing runs (do not commit it).
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool? interactiveProgress = null)
    {
        try
        {
            return args.FirstOrDefault() switch
            {
                "replay" => Replay(Parse(args[1..], "out", "policy", "format", "hash-key", "quiet"), stdout, stderr, interactiveProgress),
                "synthetic" => Synthetic(Parse(args[1..], "reviews", "out", "seed"), stderr),
                "-h" or "--help" or "help" => Help(stdout),
                _ => Fail(stderr, "expected a command: replay or synthetic"),
            };
        }
        catch (ArgumentException ex)
        {
            return Fail(stderr, ex.Message);
        }
        catch (InvalidDataException ex)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return 2;
        }
    }

    private static int Replay(Dictionary<string, string?> o, TextWriter stdout, TextWriter stderr, bool? interactive)
    {
        var input = o.GetValueOrDefault("") ?? throw new ArgumentException("replay needs an INPUT file");
        var outDir = o.GetValueOrDefault("out") ?? throw new ArgumentException("replay needs --out DIR");
        if (!File.Exists(input)) throw new ArgumentException($"no such file: {input}");
        var policy = o.GetValueOrDefault("policy") is { } policyPath ? PolicyFile.Load(policyPath) : new PolicyOptions();
        var format = o.GetValueOrDefault("format") ?? (Path.GetExtension(input).ToLowerInvariant() is ".ndjson" or ".jsonl" ? "ndjson" : "csv");
        var quiet = o.ContainsKey("quiet");

        var watch = Stopwatch.StartNew();
        InputBatch batch;
        using (var reader = new StreamReader(input, detectEncodingFromByteOrderMarks: true))
        {
            batch = format switch
            {
                "csv" => ReviewCsvReader.Read(reader),
                "ndjson" => NdjsonEventReader.Read(reader, new EventParser(new IdentifierHasher(HashKey(o.GetValueOrDefault("hash-key"))))),
                _ => throw new ArgumentException($"--format must be csv or ndjson, got {format}"),
            };
        }

        var readTime = watch.Elapsed;
        foreach (var r in batch.Rejected.Take(20)) stderr.WriteLine($"line {r.Line}: {r.Code}: {r.Reason}");
        if (batch.Rejected.Count > 20) stderr.WriteLine($"… and {batch.Rejected.Count - 20} more rejected lines (all in {Path.Combine(outDir, "rejected.csv")})");
        if (!quiet) stderr.WriteLine($"read {batch.Events.Count:N0} events ({batch.Rejected.Count:N0} lines rejected) from {input} in {readTime.TotalSeconds:0.0}s; policy {policy.Version}");

        var bar = quiet ? null : new ProgressBar(stderr, interactive ?? !Console.IsErrorRedirected, "replay");
        var result = Backtester.Run(batch.Events, policy, bar is null ? null : bar.Report);
        ResultWriter.Write(outDir, batch, result, input, readTime);
        stdout.WriteLine($"replayed {result.EventsApplied:N0} events ({result.Reviews.Count:N0} reviews) in {result.Elapsed.TotalSeconds:0.0}s " +
            $"({result.EventsApplied / Math.Max(result.Elapsed.TotalSeconds, 1e-9):N0} events/s), {batch.Rejected.Count:N0} lines rejected, {result.Engine.DecisionCount:N0} decisions → {outDir}");
        return 0;
    }

    private static int Synthetic(Dictionary<string, string?> o, TextWriter stderr)
    {
        var reviews = int.TryParse(o.GetValueOrDefault("reviews"), out var n) && n > 0 ? n : throw new ArgumentException("synthetic needs --reviews N (N > 0)");
        var outFile = o.GetValueOrDefault("out") ?? throw new ArgumentException("synthetic needs --out FILE");
        var seed = int.TryParse(o.GetValueOrDefault("seed"), out var s) ? s : 1;
        using (var writer = new StreamWriter(outFile) { NewLine = "\n" }) SyntheticReviews.Write(writer, reviews, seed);
        stderr.WriteLine($"wrote {reviews:N0} synthetic reviews to {outFile}");
        return 0;
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
            throw new ArgumentException("--hash-key must be base64");
        }
    }

    /// <summary>"--name value" pairs and flags; the one bare argument is stored under "".</summary>
    private static Dictionary<string, string?> Parse(string[] args, params string[] known)
    {
        var o = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--quiet")
            {
                o["quiet"] = null;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (!known.Contains(args[i][2..])) throw new ArgumentException($"unknown option {args[i]}");
                if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value");
                o[args[i][2..]] = args[++i];
            }
            else if (!o.TryAdd("", args[i]))
            {
                throw new ArgumentException($"unexpected argument: {args[i]}");
            }
        }

        return o;
    }

    private static int Help(TextWriter stdout)
    {
        stdout.WriteLine(Usage);
        return 0;
    }

    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine($"error: {message}");
        stderr.WriteLine(Usage);
        return 2;
    }
}
