using System.Text.Json.Serialization;

namespace Integrity.Domain.Events;

/// <summary>
/// Base of every marketplace event. <see cref="EventId"/> is the idempotency key: an entity applies an id once.
/// <see cref="OccurredAt"/> is the platform's time of the fact; all windows and decisions use it, never the wall clock.
/// Serialized with a <c>type</c> discriminator (the wire type name), never a .NET type name.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(SellerRegistered), EventTypeNames.SellerRegistered)]
[JsonDerivedType(typeof(SellerUpdated), EventTypeNames.SellerUpdated)]
[JsonDerivedType(typeof(ListingCreated), EventTypeNames.ListingCreated)]
[JsonDerivedType(typeof(ListingUpdated), EventTypeNames.ListingUpdated)]
[JsonDerivedType(typeof(OrderPlaced), EventTypeNames.OrderPlaced)]
[JsonDerivedType(typeof(OrderCancelled), EventTypeNames.OrderCancelled)]
[JsonDerivedType(typeof(OrderRefunded), EventTypeNames.OrderRefunded)]
[JsonDerivedType(typeof(OrderDelivered), EventTypeNames.OrderDelivered)]
[JsonDerivedType(typeof(ReviewPosted), EventTypeNames.ReviewPosted)]
[JsonDerivedType(typeof(ComplaintFiled), EventTypeNames.ComplaintFiled)]
[JsonDerivedType(typeof(BrandRegistered), EventTypeNames.BrandRegistered)]
[JsonDerivedType(typeof(BrandReported), EventTypeNames.BrandReported)]
[JsonDerivedType(typeof(AppealFiled), EventTypeNames.AppealFiled)]
public abstract record IntegrityEvent(string EventId, DateTimeOffset OccurredAt)
{
    /// <summary>The wire type name, e.g. <c>review.posted</c>.</summary>
    [JsonIgnore]
    public string TypeName => EventTypeNames.Of(this);

    /// <summary>Every entity whose state this event can change; the grain layer delivers the event to each.</summary>
    public abstract IEnumerable<EntityRef> TouchedEntities();
}
