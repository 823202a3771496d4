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
    public static IReadOnlyList<Reason> Evaluate(ReviewerState s, DateTimeOffset now, PolicyOptions policy) =>
        new[]
        {
            ReviewPatternSignals.Velocity(s, now, policy),
            ReviewPatternSignals.UnverifiedShare(s, now, policy),
            ReviewPatternSignals.ExtremeRatings(s, now, policy),
            ReviewPatternSignals.SellerConcentration(s, now, policy),
            CoordinationSignals.Lockstep(s, policy),
            CoordinationSignals.ReviewThenRefund(s, now, policy),
            CoordinationSignals.NearDuplicateText(s, now, policy),
            CoordinationSignals.NewAccount(s, policy),
            HistorySignals.ThinHistory(s, policy),
            HistorySignals.RatingDeviation(s, now, policy),
        }.OfType<Reason>().ToList();
}
