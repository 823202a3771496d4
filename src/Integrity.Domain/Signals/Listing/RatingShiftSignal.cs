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

        // The reviews are in time order: only the window is visited, and counted without copying.
        var (start, end) = TimeWindows.Range(s.Reviews, now, rule.Window);
        Span<double> recentCounts = stackalloc double[5];
        Span<double> priorCounts = stackalloc double[5];
        for (var i = start; i < end; i++) recentCounts[s.Reviews[i].Rating - 1]++;
        var (nRecent, nPrior) = (0.0, 0.0);
        for (var i = 0; i < 5; i++)
        {
            priorCounts[i] = Math.Max(0, s.RatingTotals[i] - recentCounts[i]);
            nRecent += recentCounts[i];
            nPrior += priorCounts[i];
        }

        if (nRecent < rule.MinCount || nPrior < rule.MinCount) return null;

        var (distanceSum, recentSum, priorSum) = (0.0, 0.0, 0.0);
        for (var i = 0; i < 5; i++)
        {
            distanceSum += Math.Abs((recentCounts[i] / nRecent) - (priorCounts[i] / nPrior));
            recentSum += (i + 1) * recentCounts[i];
            priorSum += (i + 1) * priorCounts[i];
        }

        var distance = 0.5 * distanceSum;
        var (meanRecent, meanPrior) = (recentSum / nRecent, priorSum / nPrior);
        if (distance < rule.Threshold || meanRecent - meanPrior < MinMeanIncrease) return null;
        var recent = TimeWindows.Slice(s.Reviews, start, end);

        return SignalReason.Trip(ReasonCodes.RatingShift, rule, distance, rule.Threshold,
            $"ratings in {SignalReason.Span(rule.Window)} average {meanRecent:0.00} over {nRecent:0} reviews vs {meanPrior:0.00} over {nPrior:0} before (distance {distance:0.00})",
            recent.Select(r => r.EventId));
    }
}
