namespace Integrity.Domain.Events;

/// <summary>The wire names of event types. They are part of the public contract: never rename one.</summary>
public static class EventTypeNames
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
    public const string AppealFiled = "appeal.filed";

    public static IReadOnlyList<string> All { get; } =
    [
        SellerRegistered, SellerUpdated, ListingCreated, ListingUpdated, OrderPlaced, OrderCancelled,
        OrderRefunded, OrderDelivered, ReviewPosted, ComplaintFiled, BrandRegistered, BrandReported, AppealFiled,
    ];

    public static string Of(IntegrityEvent e) => e switch
    {
        Events.SellerRegistered => SellerRegistered,
        Events.SellerUpdated => SellerUpdated,
        Events.ListingCreated => ListingCreated,
        Events.ListingUpdated => ListingUpdated,
        Events.OrderPlaced => OrderPlaced,
        Events.OrderCancelled => OrderCancelled,
        Events.OrderRefunded => OrderRefunded,
        Events.OrderDelivered => OrderDelivered,
        Events.ReviewPosted => ReviewPosted,
        Events.ComplaintFiled => ComplaintFiled,
        Events.BrandRegistered => BrandRegistered,
        Events.BrandReported => BrandReported,
        Events.AppealFiled => AppealFiled,
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unregistered event type."),
    };
}
