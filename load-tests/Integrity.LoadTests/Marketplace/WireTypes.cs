namespace Integrity.LoadTests.Marketplace;

/// <summary>The wire type names of docs/events.md. The harness is a client of the wire contract, not of the domain.</summary>
public static class WireTypes
{
    public const string SellerRegistered = "seller.registered";
    public const string SellerUpdated = "seller.updated";
    public const string ListingCreated = "listing.created";
    public const string ListingUpdated = "listing.updated";
    public const string OrderPlaced = "order.placed";
    public const string OrderCancelled = "order.cancelled";
    public const string OrderRefunded = "order.refunded";
    public const string OrderDelivered = "order.delivered";
    public const string ReviewPosted = "review.posted";
    public const string ComplaintFiled = "complaint.filed";
    public const string BrandRegistered = "brand.registered";
    public const string BrandReported = "brand.reported";
}
