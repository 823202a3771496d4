using CsCheck;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Scenarios;

public sealed class HonestControlTests
{
    [Fact]
    public void Honest_traffic_of_scenario_volume_yields_no_decision_at_all()
    {
        var events = HonestTraffic.Generate(seed: 1);
        var market = new InMemoryMarketplace().ApplyAll(events);

        Assert.True(events.Count > 600, $"only {events.Count} events");
        Assert.Empty(market.Decisions);
    }

    [Fact]
    public void Honest_traffic_yields_no_decision_whatever_the_seed()
    {
        Gen.Int[2, 100_000].Sample(seed =>
        {
            var market = new InMemoryMarketplace().ApplyAll(HonestTraffic.Generate(seed));
            Assert.True(market.Decisions.Count == 0, string.Join("\n", market.Decisions.Select(d => $"{d.EntityKind} {d.EntityId} → {d.To}: {string.Join("; ", d.Reasons)}")));
        }, iter: 15);
    }
}
