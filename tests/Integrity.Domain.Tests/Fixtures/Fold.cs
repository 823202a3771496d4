using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.State;

namespace Integrity.Domain.Tests.Fixtures;

/// <summary>Applies events to one entity with the pure rules, for signal tests without any orchestration.</summary>
public static class Fold
{
    public static ListingState Listing(IEnumerable<IntegrityEvent> events, Func<IntegrityEvent, ListingContext>? context = null, string id = "L-1", PolicyOptions? policy = null) =>
        events.Aggregate(ListingState.Create(id), (s, e) => ListingRules.Apply(s, e, context?.Invoke(e) ?? ListingContext.None, policy ?? PolicyOptions.Default).State);

    public static ReviewerState Reviewer(IEnumerable<IntegrityEvent> events, Func<IntegrityEvent, ReviewerContext>? context = null, string id = "C-1", PolicyOptions? policy = null) =>
        events.Aggregate(ReviewerState.Create(id), (s, e) => ReviewerRules.Apply(s, e, context?.Invoke(e) ?? ReviewerContext.None, policy ?? PolicyOptions.Default).State);

    public static SellerState Seller(IEnumerable<IntegrityEvent> events, Func<IntegrityEvent, SellerContext>? context = null, string id = "S-1", PolicyOptions? policy = null) =>
        events.Aggregate(SellerState.Create(id), (s, e) => SellerRules.Apply(s, e, context?.Invoke(e) ?? SellerContext.None, policy ?? PolicyOptions.Default).State);

    public static Reason? ReasonOf(EnforcementState enforcement, string code) => enforcement.Reasons.SingleOrDefault(r => r.Code == code);
}
