using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Integrity.Backtest.Input;

namespace Integrity.Backtest.Output;

/// <summary>
/// The files of a backtest: <c>reviews.csv</c> (<c>seq|id,score,score_at_arrival,reasons</c>), <c>reviewers.csv</c>,
/// <c>listings.csv</c>, <c>sellers.csv</c> (<c>id,score,reasons,step,…</c>), two-column views for scorers that read
/// one score column (<c>reviews-at-arrival.csv</c>, <c>reviewers-at-first-review.csv</c>), <c>rejected.csv</c> and
/// <c>summary.json</c>. Entities are written sorted by id so two runs diff cleanly.
/// </summary>
internal static class ResultWriter
{
    public static void Write(string dir, InputBatch input, BacktestResult result, string inputPath, TimeSpan readTime)
    {
        Directory.CreateDirectory(dir);
        var engine = result.Engine;
        var key = input.ReviewKeyColumn;

        using (var reviews = CsvOut.Create(Path.Combine(dir, "reviews.csv")))
        using (var atArrival = CsvOut.Create(Path.Combine(dir, "reviews-at-arrival.csv")))
        {
            reviews.Row(key, "score", "score_at_arrival", "reasons");
            atArrival.Row(key, "score");
            foreach (var review in result.Reviews)
            {
                var final = Backtester.FinalScore(engine, review);
                reviews.Row(review.Key, final.Score, review.ScoreAtArrival, final.Explanation);
                atArrival.Row(review.Key, review.ScoreAtArrival);
            }
        }

        using (var reviewers = CsvOut.Create(Path.Combine(dir, "reviewers.csv")))
        using (var atFirst = CsvOut.Create(Path.Combine(dir, "reviewers-at-first-review.csv")))
        {
            reviewers.Row("reviewer", "score", "reasons", "step", "reviews", "score_at_first_review");
            atFirst.Row("reviewer", "score");
            foreach (var (id, s) in engine.Reviewers.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var first = result.ReviewerScoreAtFirstReview.TryGetValue(id, out var f) ? f : (double?)null;
                reviewers.Row(id, s.Enforcement.Score, Backtester.Explain(s.Enforcement), s.Step.ToString(), s.Reviews.Count, first);
                if (first is { } score) atFirst.Row(id, score);
            }
        }

        using (var listings = CsvOut.Create(Path.Combine(dir, "listings.csv")))
        {
            listings.Row("listing", "score", "reasons", "step", "seller", "reviews", "mean_rating");
            foreach (var (id, s) in engine.Listings.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var n = s.RatingTotals.Sum();
                double? mean = n == 0 ? null : s.RatingTotals.Select((c, i) => (double)c * (i + 1)).Sum() / n;
                listings.Row(id, s.Enforcement.Score, Backtester.Explain(s.Enforcement), s.Step.ToString(), s.SellerId, n, mean);
            }
        }

        using (var sellers = CsvOut.Create(Path.Combine(dir, "sellers.csv")))
        {
            sellers.Row("seller", "score", "reasons", "step");
            foreach (var (id, s) in engine.Sellers.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                sellers.Row(id, s.Enforcement.Score, Backtester.Explain(s.Enforcement), s.Step.ToString());
            }
        }

        using (var rejected = CsvOut.Create(Path.Combine(dir, "rejected.csv")))
        {
            rejected.Row("line", "code", "reason");
            foreach (var r in input.Rejected) rejected.Row(r.Line, r.Code, r.Reason);
        }

        var coverage = engine.Coverage.Report();
        var summary = new
        {
            input = Path.GetFullPath(inputPath),
            lines = input.Lines,
            accepted = input.Events.Count,
            rejected = input.Rejected.Count,
            reviews = result.Reviews.Count,
            reviewers = engine.Reviewers.Count,
            listings = engine.Listings.Count,
            sellers = engine.Sellers.Count,
            decisions = engine.DecisionCount,
            entitiesAboveNone = new
            {
                reviewers = engine.Reviewers.Values.Count(s => s.Enforcement.Level > 0),
                listings = engine.Listings.Values.Count(s => s.Enforcement.Level > 0),
                sellers = engine.Sellers.Values.Count(s => s.Enforcement.Level > 0),
            },
            policyVersion = engine.Policy.Version,
            // What the file sent, and the signals that did not count for want of it (by the end of the file).
            evidence = coverage.Sources.Where(c => c.Sent).Select(c => new { source = c.Source, events = c.Events }),
            inactiveSignals = coverage.InactiveSignals().Select(s => new { code = s.Code, because = s.InactiveBecause }),
            readSeconds = Math.Round(readTime.TotalSeconds, 2),
            replaySeconds = Math.Round(result.Elapsed.TotalSeconds, 2),
            eventsPerSecond = Math.Round(result.EventsApplied / Math.Max(result.Elapsed.TotalSeconds, 1e-9)),
            cpuSeconds = Math.Round(result.Cost.Cpu.TotalSeconds, 2),
            eventsPerCpuSecond = Math.Round(result.EventsApplied / Math.Max(result.Cost.Cpu.TotalSeconds, 1e-9)),
            allocatedBytesPerEvent = result.Cost.AllocatedBytes / Math.Max(1, result.EventsApplied),
            gcPauseSeconds = Math.Round(result.Cost.GcPause.TotalSeconds, 2),
            gcCollections = new { gen0 = result.Cost.Gen0, gen1 = result.Cost.Gen1, gen2 = result.Cost.Gen2 },
            scoreOfAReview = "100 × (1 − (1 − reviewer/100)(1 − ListingWeight·listing/100)(1 − DeviationWeight·min(1, |rating − listing average| / DeviationScale))(1 − ExtremeWeight·[1 or 5 stars]))",
            createdAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        File.WriteAllText(Path.Combine(dir, "summary.json"), JsonSerializer.Serialize(summary, JsonOptions) + "\n");
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
