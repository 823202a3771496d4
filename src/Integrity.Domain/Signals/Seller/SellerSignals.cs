using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Signals.Seller;

/// <summary>Every seller signal, evaluated at the seller's clock. The credit record is applied on top (see SellerRules).</summary>
public static class SellerSignals
{
    public static IReadOnlyList<Reason> Evaluate(SellerState s, DateTimeOffset now, PolicyOptions policy) =>
        new[]
        {
            OrderSignals.Brushing(s, now, policy),
            OrderSignals.SelfLinkedOrders(s, now, policy),
            OrderSignals.ComplaintRate(s, now, policy),
            OrderSignals.CounterfeitReports(s, now, policy),
            NetworkSignals.ListingsEnforced(s, policy),
            NetworkSignals.ReviewManipulation(s, now, policy),
            NetworkSignals.LinkedNetwork(s, policy),
            NetworkSignals.LinkedToClosed(s, policy),
            NetworkSignals.OnboardingVelocity(s, now, policy),
        }.OfType<Reason>().ToList();
}
