using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Signals.Listing;

/// <summary>
/// The recent rating histogram against the listing's history (total-variation distance). Only an upward shift
/// counts: a listing whose ratings suddenly improve is being boosted; one whose ratings fall is a product problem or
/// an attack, covered elsewhere.
/// </summary>
public static class RatingShiftSignal
{
    /// <summary>The average must also rise by this many stars: reshuffling within the same average is not a boost.</summary>
    public const double MinMeanIncrease = 0.5;

    public static Reason? Evaluate(ListingState s, DateTimeOffset now, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.RatingShift);
        if (!rule.Enabled) return null;

        var recent = s.Reviews.Where(r => r.At > now - rule.Window && r.At <= now).ToList();
        var recentCounts = new double[5];
        foreach (var r in recent) recentCounts[r.Rating - 1]++;
        var priorCounts = s.RatingTotals.Select((total, i) => Math.Max(0, total - recentCounts[i])).ToArray();
        var (nRecent, nPrior) = (recentCounts.Sum(), priorCounts.Sum());
        if (nRecent < rule.MinCount || nPrior < rule.MinCount) return null;

        var distance = 0.5 * Enumerable.Range(0, 5).Sum(i => Math.Abs((recentCounts[i] / nRecent) - (priorCounts[i] / nPrior)));
        var meanRecent = Enumerable.Range(0, 5).Sum(i => (i + 1) * recentCounts[i]) / nRecent;
        var meanPrior = Enumerable.Range(0, 5).Sum(i => (i + 1) * priorCounts[i]) / nPrior;
        if (distance < rule.Threshold || meanRecent - meanPrior < MinMeanIncrease) return null;

        return SignalReason.Trip(ReasonCodes.RatingShift, rule, distance, rule.Threshold,
            $"ratings in {SignalReason.Span(rule.Window)} average {meanRecent:0.00} over {nRecent:0} reviews vs {meanPrior:0.00} over {nPrior:0} before (distance {distance:0.00})",
            recent.Select(r => r.EventId));
    }
}
