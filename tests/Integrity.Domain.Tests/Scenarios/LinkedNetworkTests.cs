using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Scenarios;

public sealed class LinkedNetworkTests
{
    [Fact]
    public void Thirty_stores_sharing_a_bank_account_are_all_held_when_one_is_closed()
    {
        var b = FraudScenarios.LinkedNetwork();

        var market = new InMemoryMarketplace().ApplyAll(b.Events);
        Assert.All(Enumerable.Range(0, 30), i => Assert.Contains(market.Seller($"S-net-{i}").Enforcement.Reasons, r => r.Code == ReasonCodes.LinkedNetwork));

        var close = new AnalystAction("act-close-0", "analyst-1", b.Now + TimeSpan.FromHours(1), "Confirmed fraud operator");
        market.ActOnSeller("S-net-0", s => AnalystActions.Override(s, (int)SellerStep.Closed, until: null, close, market.Policy));

        Assert.Equal(SellerStep.Closed, market.Seller("S-net-0").Step);
        for (var i = 1; i < 30; i++)
        {
            var d = ScenarioAssert.Reached(market, EntityKind.Seller, $"S-net-{i}", (int)SellerStep.PayoutsHeld, ReasonCodes.LinkedToClosed);
            Assert.Contains("BankAccount", d.Reasons.Single(r => r.Code == ReasonCodes.LinkedToClosed).Message, StringComparison.Ordinal);
            Assert.True(market.Seller($"S-net-{i}").Step >= SellerStep.PayoutsHeld);
        }
    }

    [Fact]
    public void Stores_sharing_only_a_warehouse_address_are_not_a_network()
    {
        var b = new ScenarioBuilder();
        for (var i = 0; i < 10; i++) b.Seller($"S-addr-{i}", ScenarioBuilder.Ids(bank: $"bank-{i}", address: "1 logistics park"));

        var market = new InMemoryMarketplace().ApplyAll(b.Events);

        Assert.Empty(market.Decisions);
    }
}
