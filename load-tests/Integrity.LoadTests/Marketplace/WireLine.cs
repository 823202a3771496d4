using System.Text.Json;

namespace Integrity.LoadTests.Marketplace;

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
            case WireTypes.SellerRegistered or WireTypes.SellerUpdated:
                touched.Add(new(EntityKind.Seller, seller!));
                break;
            case WireTypes.ListingCreated or WireTypes.ListingUpdated:
                touched.Add(new(EntityKind.Listing, listing!));
                touched.Add(new(EntityKind.Seller, seller!));
                touched.Add(new(EntityKind.Category, Str("categoryId")!));
                if (brand is not null) touched.Add(new(EntityKind.Brand, brand));
                break;
            case WireTypes.OrderPlaced or WireTypes.OrderCancelled or WireTypes.OrderRefunded or WireTypes.OrderDelivered:
                touched.Add(new(EntityKind.Listing, listing!));
                touched.Add(new(EntityKind.Seller, seller!));
                touched.Add(new(EntityKind.Reviewer, Str("buyerId")!));
                break;
            case WireTypes.ReviewPosted:
                touched.Add(new(EntityKind.Listing, listing!));
                touched.Add(new(EntityKind.Seller, seller!));
                touched.Add(new(EntityKind.Reviewer, Str("reviewerId")!));
                break;
            case WireTypes.ComplaintFiled:
                touched.Add(new(EntityKind.Listing, listing!));
                touched.Add(new(EntityKind.Seller, seller!));
                break;
            case WireTypes.BrandRegistered:
                touched.Add(new(EntityKind.Brand, brand!));
                break;
            case WireTypes.BrandReported:
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
