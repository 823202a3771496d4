using Integrity.Domain.Events;
using Integrity.Domain.Helpers;

namespace Integrity.Domain.Propagation;

/// <summary>
/// One fact for one entity, produced by another entity's outcome (<see cref="FactRouting"/>). Exactly one of the fact
/// fields is set. A value, so routing an outcome allocates nothing but the facts themselves.
/// </summary>
public readonly record struct Delivery(
    EntityKind TargetKind,
    string TargetId,
    ListingOutcomeFact? ListingOutcome = null,
    ReviewerRiskFact? ReviewerRisk = null,
    LinkedSellerFact? LinkedSeller = null,
    CoReviewFact? CoReview = null);
