using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Signals.Reviewer;

/// <summary>
/// Every reviewer signal, evaluated at the reviewer's clock. Most are weak alone (plenty of honest people only
/// write 5-star reviews); weights are set so that it takes several together to reach a step.
/// </summary>
public static class ReviewerSignals
{
    /// <returns>A new list, the caller's to keep.</returns>
    public static List<Reason> Evaluate(ReviewerState s, DateTimeOffset now, PolicyOptions policy)
    {
        var reasons = new List<Reason>(4);
        Add(reasons, ReviewPatternSignals.Velocity(s, now, policy));
        Add(reasons, ReviewPatternSignals.UnverifiedShare(s, now, policy));
        Add(reasons, ReviewPatternSignals.ExtremeRatings(s, now, policy));
        Add(reasons, ReviewPatternSignals.SellerConcentration(s, now, policy));
        Add(reasons, CoordinationSignals.Lockstep(s, policy));
        Add(reasons, CoordinationSignals.ReviewThenRefund(s, now, policy));
        Add(reasons, CoordinationSignals.NearDuplicateText(s, now, policy));
        Add(reasons, CoordinationSignals.NewAccount(s, policy));
        Add(reasons, HistorySignals.ThinHistory(s, policy));
        Add(reasons, HistorySignals.RatingDeviation(s, now, policy));
        return reasons;
    }

    private static void Add(List<Reason> reasons, Reason? reason)
    {
        if (reason is not null) reasons.Add(reason);
    }
}
