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
        var b = FraudScenarios.Brushing();

        var market = new InMemoryMarketplace().ApplyAll(b.Events);

        var d = ScenarioAssert.Reached(market, EntityKind.Seller, "S-brush", (int)SellerStep.PayoutsHeld, ReasonCodes.Brushing);
        Assert.Contains(d.Reasons, r => r.Code == ReasonCodes.SelfLinkedOrders);
        Assert.Contains("linked to the seller's own identifiers", d.Reasons.Single(r => r.Code == ReasonCodes.Brushing).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_seller_held_for_its_orders_tells_the_store_sharing_its_device()
    {
        var b = FraudScenarios.Brushing(sister: true);
        var orders = b.Events.OfType<OrderEvent>().Select(o => o.EventId).ToHashSet(StringComparer.Ordinal);

        var market = new InMemoryMarketplace().ApplyAll(b.Events);

        // The step was taken on an order (its id ends the decision's), not on a fact from elsewhere.
        var held = ScenarioAssert.Reached(market, EntityKind.Seller, "S-brush", (int)SellerStep.PayoutsHeld, ReasonCodes.Brushing);
        Assert.Contains(orders, id => held.DecisionId.EndsWith("/" + id, StringComparison.Ordinal));
        var brush = market.Seller("S-brush").Enforcement.Level;
        Assert.Equal(brush, market.Seller("S-sister").LinkedSellers["S-brush"].Level);
        Assert.Equal(new[] { IdentifierKind.Device }, market.Seller("S-sister").LinkedSellers["S-brush"].SharedKinds);
    }
}
