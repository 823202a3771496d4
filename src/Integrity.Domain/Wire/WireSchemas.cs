using Integrity.Domain.Events;

namespace Integrity.Domain.Wire;

/// <summary>
/// One reader per (event type, schema version). Adding version 2 of a type means adding an entry here, keeping v1:
/// platforms upgrade at their own pace and nothing is ever guessed.
/// </summary>
internal static class WireSchemas
{
    internal delegate IntegrityEvent Reader(WireReader r, string eventId, DateTimeOffset occurredAt);

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<int, Reader>> ByType { get; } =
        new Dictionary<string, IReadOnlyDictionary<int, Reader>>(StringComparer.Ordinal)
        {
            [EventTypeNames.SellerRegistered] = V1((r, id, at) =>
                new SellerRegistered(id, at, r.RequiredId("sellerId"), r.OptionalText("name"), r.Identifiers("identifiers", required: true, sellerSide: true)!)),
            [EventTypeNames.SellerUpdated] = V1((r, id, at) =>
                new SellerUpdated(id, at, r.RequiredId("sellerId"), r.OptionalText("name"), r.Identifiers("identifiers", required: true, sellerSide: true)!)),
            [EventTypeNames.ListingCreated] = V1((r, id, at) =>
                new ListingCreated(id, at, r.RequiredId("listingId"), r.RequiredId("sellerId"), r.RequiredText("title"),
                    r.RequiredText("description", allowEmpty: true), r.OptionalId("brandId"), r.RequiredId("categoryId"),
                    r.RequiredMoney("price"), r.RequiredCurrency("currency"))),
            [EventTypeNames.ListingUpdated] = V1((r, id, at) =>
                new ListingUpdated(id, at, r.RequiredId("listingId"), r.RequiredId("sellerId"), r.RequiredText("title"),
                    r.RequiredText("description", allowEmpty: true), r.OptionalId("brandId"), r.RequiredId("categoryId"),
                    r.RequiredMoney("price"), r.RequiredCurrency("currency"))),
            [EventTypeNames.OrderPlaced] = V1((r, id, at) =>
                new OrderPlaced(id, at, r.RequiredId("orderId"), r.RequiredId("listingId"), r.RequiredId("sellerId"), r.RequiredId("buyerId"),
                    r.RequiredMoney("amount"), r.RequiredCurrency("currency"),
                    r.Identifier("shipTo", IdentifierKind.Address, required: true), r.Identifier("payment", IdentifierKind.Payment, required: true),
                    r.Identifiers("buyer", required: false, sellerSide: false))),
            [EventTypeNames.OrderCancelled] = V1((r, id, at) => Order(r, id, at, (a, b, c, d, e, f, g, h, i, j, k) => new OrderCancelled(a, b, c, d, e, f, g, h, i, j, k))),
            [EventTypeNames.OrderRefunded] = V1((r, id, at) => Order(r, id, at, (a, b, c, d, e, f, g, h, i, j, k) => new OrderRefunded(a, b, c, d, e, f, g, h, i, j, k))),
            [EventTypeNames.OrderDelivered] = V1((r, id, at) => Order(r, id, at, (a, b, c, d, e, f, g, h, i, j, k) => new OrderDelivered(a, b, c, d, e, f, g, h, i, j, k))),
            [EventTypeNames.ReviewPosted] = V1((r, id, at) =>
                new ReviewPosted(id, at, r.RequiredId("reviewId"), r.RequiredId("listingId"), r.RequiredId("sellerId"), r.RequiredId("reviewerId"),
                    r.RequiredInt("rating", 1, 5), r.RequiredText("text", allowEmpty: true), r.OptionalId("orderId"), r.OptionalTime("accountCreatedAt"))),
            [EventTypeNames.ComplaintFiled] = V1((r, id, at) =>
                new ComplaintFiled(id, at, r.RequiredId("complaintId"), r.RequiredEnum("kind", WireEnums.ComplaintKinds), r.RequiredId("listingId"),
                    r.RequiredId("sellerId"), r.RequiredId("complainantId"), r.OptionalId("orderId"))),
            [EventTypeNames.BrandRegistered] = V1((r, id, at) =>
                new BrandRegistered(id, at, r.RequiredId("brandId"), r.RequiredText("name"), r.TextList("keywords", required: true),
                    r.OptionalMoney("referencePrice"), r.OptionalPriceMap("referencePrices"), r.RequiredCurrency("currency"),
                    r.IdList("authorizedSellerIds", required: false), r.IdList("officialStoreSellerIds", required: false))),
            [EventTypeNames.BrandReported] = V1((r, id, at) =>
                new BrandReported(id, at, r.RequiredId("reportId"), r.RequiredEnum("kind", WireEnums.BrandReportKinds), r.RequiredId("brandId"),
                    r.OptionalId("listingId"), r.RequiredId("sellerId"))),
            [EventTypeNames.AppealFiled] = V1((r, id, at) =>
                new AppealFiled(id, at, r.RequiredId("appealId"), r.RequiredEnum("entityKind", WireEnums.AppealEntityKinds), r.RequiredId("entityId"),
                    r.RequiredText("statement"), r.References("attachments"), r.OptionalDecisionId("decisionId"))),
        };

    private static Dictionary<int, Reader> V1(Reader reader) => new() { [1] = reader };

    private static IntegrityEvent Order(
        WireReader r, string id, DateTimeOffset at,
        Func<string, DateTimeOffset, string, string, string, string, decimal, string, string?, string?, IdentifierSet?, IntegrityEvent> create) =>
        create(id, at, r.RequiredId("orderId"), r.RequiredId("listingId"), r.RequiredId("sellerId"), r.RequiredId("buyerId"),
            r.RequiredMoney("amount"), r.RequiredCurrency("currency"),
            r.Identifier("shipTo", IdentifierKind.Address, required: false), r.Identifier("payment", IdentifierKind.Payment, required: false),
            r.Identifiers("buyer", required: false, sellerSide: false));
}
