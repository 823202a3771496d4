using System.Diagnostics;
using Integrity.Backtest.Input;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.Replay;
using Integrity.Domain.Signals.Review;
using Integrity.Domain.State;

namespace Integrity.Backtest;

/// <summary>One review as it went through the replay: who, where, and the score it got when it arrived.</summary>
internal sealed record ReplayedReview(string Key, string ReviewerId, string ListingId, int Rating, double ScoreAtArrival);

/// <summary>The engine after the replay, the reviews in input order, and each reviewer's score right after its first review.</summary>
internal sealed record BacktestResult(
    ReplayEngine Engine,
    IReadOnlyList<ReplayedReview> Reviews,
    IReadOnlyDictionary<string, double> ReviewerScoreAtFirstReview,
    long EventsApplied,
    TimeSpan Elapsed,
    ReplayCost Cost);

/// <summary>What the replay loop cost: CPU time of the whole process (JIT and GC threads included), bytes allocated on its thread, time the GC paused it.</summary>
internal sealed record ReplayCost(TimeSpan Cpu, long AllocatedBytes, TimeSpan GcPause, int Gen0, int Gen1, int Gen2);

/// <summary>
/// Runs accepted events through the <see cref="ReplayEngine"/> in order of their own timestamps (virtual time: the
/// engine's windows follow the events' clock, nothing waits), ties kept in input order, and scores each review on
/// arrival with <see cref="ReviewRisk"/>.
/// </summary>
internal static class Backtester
{
    /// <param name="collectDecisions">Keep every decision in the engine (a comparison of two policies needs them; a long replay only counts).</param>
    public static BacktestResult Run(IReadOnlyList<InputEvent> input, PolicyOptions policy, Action<long, long>? progress = null, bool collectDecisions = false)
    {
        var engine = new ReplayEngine(policy) { CollectDecisions = collectDecisions };
        var ordered = input.Select((e, i) => (e, i)).OrderBy(x => x.e.Event.OccurredAt).ThenBy(x => x.i).Select(x => x.e).ToList();
        // Sized for every review up front: grown inside the timed loop, they were copied (and reallocated on the large object heap) as it ran.
        var arrival = new Dictionary<string, double>(ordered.Count(x => x.Event is ReviewPosted), StringComparer.Ordinal);
        var firstScores = new Dictionary<string, double>(StringComparer.Ordinal);
        var (allocatedBefore, pauseBefore) = (GC.GetAllocatedBytesForCurrentThread(), GC.GetTotalPauseDuration());
        var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        long done = 0;

        foreach (var item in ordered)
        {
            engine.Apply(item.Event);
            if (item.Event is ReviewPosted review && item.ReviewKey is { } key)
            {
                var reviewer = engine.Reviewer(review.ReviewerId);
                var listing = engine.Listing(review.ListingId);
                var own = Find(reviewer, review.EventId);
                arrival[key] = ReviewRisk.Value(review.Rating, reviewer.Enforcement, listing.Enforcement, own?.ListingMeanBefore, own?.ListingRatingsBefore ?? 0, policy);
                firstScores.TryAdd(review.ReviewerId, reviewer.Enforcement.Score);
            }

            if (++done % 1000 == 0) progress?.Invoke(done, ordered.Count);
        }

        progress?.Invoke(done, ordered.Count);
        var elapsed = watch.Elapsed;
        var cost = new ReplayCost(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore, GC.GetTotalPauseDuration() - pauseBefore,
            GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
        var reviews = new List<ReplayedReview>();
        foreach (var e in input)
        {
            if (e.Event is ReviewPosted r && e.ReviewKey is { } k) reviews.Add(new ReplayedReview(k, r.ReviewerId, r.ListingId, r.Rating, arrival.GetValueOrDefault(k)));
        }

        return new BacktestResult(engine, reviews, firstScores, done, elapsed, cost);
    }

    /// <summary>The review's score with the final states: the same definition as on arrival, with hindsight.</summary>
    public static ReviewRiskScore FinalScore(ReplayEngine engine, ReplayedReview review)
    {
        var listing = engine.Listing(review.ListingId);
        var (mean, others) = ListingMeanWithout(listing, review.Rating);
        return ReviewRisk.Score(review.Rating, engine.Reviewer(review.ReviewerId).Enforcement, listing.Enforcement, mean, others, engine.Policy);
    }

    /// <summary>The listing's average rating over its other ratings (hindsight: all but this review's), and how many there are.</summary>
    public static (double? Mean, int Others) ListingMeanWithout(ListingState listing, int rating)
    {
        var totals = listing.RatingTotals;
        var others = totals.Sum() - 1;
        double? mean = others <= 0 ? null : (totals.Select((n, i) => (double)n * (i + 1)).Sum() - rating) / others;
        return (mean, Math.Max(0, others));
    }

    private static ReviewerReview? Find(ReviewerState reviewer, string eventId)
    {
        for (var i = reviewer.Reviews.Count - 1; i >= 0; i--)
        {
            if (reviewer.Reviews[i].EventId == eventId) return reviewer.Reviews[i];
        }

        return null;
    }

    /// <summary>Reasons that count, as "CODE: message" joined by " | ".</summary>
    public static string Explain(EnforcementState enforcement) =>
        string.Join(" | ", enforcement.Reasons.Where(r => r.Weight > 0).Select(r => $"{r.Code}: {r.Message}"));
}
