namespace Integrity.Domain.Enforcement;

public enum ListingStep
{
    None,
    Flagged,
    Suppressed,
    Removed,
}

public enum ReviewerStep
{
    None,
    DownWeighted,
    ReviewsHidden,
    Restricted,
}

public enum SellerStep
{
    None,
    Warning,
    NewListingsBlocked,
    PayoutsHeld,
    Suspended,
    Closed,
}
