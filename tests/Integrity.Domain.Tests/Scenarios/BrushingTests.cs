using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Scenarios;

public sealed class BrushingTests
{
    [Fact]
    public void Seller_whose_orders_come_from_a_few_linked_buyers_and_are_mostly_refunded_is_held_for_brushing()
    {
        var b = new ScenarioBuilder();
        b.Seller("S-brush", ScenarioBuilder.Ids(bank: "bank-brush", address: "7 warehouse road", device: "dev-brush"));
        b.Listing("L-brush", "S-brush", "Phone case", "Silicone case", "accessories", 9m);
        for (var i = 0; i < 40; i++)
        {
            b.Advance(TimeSpan.FromHours(3));
            var buyer = $"C-brush-{i % 5}";
            var order = b.Order($"O-brush-{i}", "L-brush", "S-brush", buyer, 9m, shipTo: i % 5 < 2 ? "7 Warehouse Road" : null);
            if (i % 5 != 4) b.Advance(TimeSpan.FromHours(1)).Refund(order);
        }

        var market = new InMemoryMarketplace().ApplyAll(b.Events);

        var d = ScenarioAssert.Reached(market, EntityKind.Seller, "S-brush", (int)SellerStep.PayoutsHeld, ReasonCodes.Brushing);
        Assert.Contains(d.Reasons, r => r.Code == ReasonCodes.SelfLinkedOrders);
        Assert.Contains("linked to the seller's own identifiers", d.Reasons.Single(r => r.Code == ReasonCodes.Brushing).Message, StringComparison.Ordinal);
    }
}
