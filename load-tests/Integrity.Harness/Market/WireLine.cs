using System.Text.Json;
using Integrity.Domain.Events;

namespace Integrity.Harness.Market;

/// <summary>
/// Reads back what the driver needs from a wire line written earlier (or by hand): type, id, time, the seller to
/// shard on, and the entities the engine routes the event to.
/// </summary>
public static class WireLine
{
    public static GeneratedEvent Read(byte[] line, long order)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        string? Str(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        var type = Str("type") ?? throw new FormatException($"line {order + 1}: no \"type\"");
        var eventId = Str("eventId") ?? throw new FormatException($"line {order + 1}: no \"eventId\"");
        var occurredAt = DateTimeOffset.Parse(Str("occurredAt") ?? throw new FormatException($"line {order + 1}: no \"occurredAt\""), System.Globalization.CultureInfo.InvariantCulture);
        var seller = Str("sellerId");
        var listing = Str("listingId");
        var brand = Str("brandId");
        var touched = new List<EntityKey>();
        switch (type)
        {
            case EventTypeNames.SellerRegistered or EventTypeNames.SellerUpdated:
                touched.Add(new(EntityKind.Seller, seller!));
                break;
            case EventTypeNames.ListingCreated or EventTypeNames.ListingUpdated:
                touched.Add(new(EntityKind.Listing, listing!));
                touched.Add(new(EntityKind.Seller, seller!));
                touched.Add(new(EntityKind.Category, Str("categoryId")!));
                if (brand is not null) touched.Add(new(EntityKind.Brand, brand));
                break;
            case EventTypeNames.OrderPlaced or EventTypeNames.OrderCancelled or EventTypeNames.OrderRefunded or EventTypeNames.OrderDelivered:
                touched.Add(new(EntityKind.Listing, listing!));
                touched.Add(new(EntityKind.Seller, seller!));
                touched.Add(new(EntityKind.Reviewer, Str("buyerId")!));
                break;
            case EventTypeNames.ReviewPosted:
                touched.Add(new(EntityKind.Listing, listing!));
                touched.Add(new(EntityKind.Seller, seller!));
                touched.Add(new(EntityKind.Reviewer, Str("reviewerId")!));
                break;
            case EventTypeNames.ComplaintFiled:
                touched.Add(new(EntityKind.Listing, listing!));
                touched.Add(new(EntityKind.Seller, seller!));
                break;
            case EventTypeNames.BrandRegistered:
                touched.Add(new(EntityKind.Brand, brand!));
                break;
            case EventTypeNames.BrandReported:
                touched.Add(new(EntityKind.Brand, brand!));
                if (listing is not null) touched.Add(new(EntityKind.Listing, listing));
                touched.Add(new(EntityKind.Seller, seller!));
                break;
            default:
                break;
        }

        return GeneratedEvent.FromLine(type, eventId, occurredAt, seller ?? brand ?? eventId, [.. touched.Where(t => t.Id is not null)], line, order);
    }
}
