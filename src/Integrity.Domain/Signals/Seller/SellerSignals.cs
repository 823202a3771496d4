using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.State;

namespace Integrity.Domain.Signals.Seller;

/// <summary>Every seller signal, evaluated at the seller's clock. The credit record is applied on top (see SellerRules).</summary>
public static class SellerSignals
{
    /// <returns>A new list, the caller's to keep.</returns>
    public static List<Reason> Evaluate(SellerState s, DateTimeOffset now, PolicyOptions policy)
    {
        var reasons = new List<Reason>(4);
        Add(reasons, OrderSignals.Brushing(s, now, policy));
        Add(reasons, OrderSignals.SelfLinkedOrders(s, now, policy));
        Add(reasons, OrderSignals.ComplaintRate(s, now, policy));
        Add(reasons, OrderSignals.CounterfeitReports(s, now, policy));
        Add(reasons, NetworkSignals.ListingsEnforced(s, policy));
        Add(reasons, NetworkSignals.ReviewManipulation(s, now, policy));
        Add(reasons, NetworkSignals.LinkedNetwork(s, policy));
        Add(reasons, NetworkSignals.LinkedToClosed(s, policy));
        Add(reasons, NetworkSignals.OnboardingVelocity(s, now, policy));
        return reasons;
    }

    private static void Add(List<Reason> reasons, Reason? reason)
    {
        if (reason is not null) reasons.Add(reason);
    }
}
