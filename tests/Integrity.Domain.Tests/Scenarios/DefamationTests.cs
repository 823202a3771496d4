using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Scenarios;

public sealed class DefamationTests
{
    /// <summary>A brand's official store with a week of honest reviews, then 15 fresh accounts 1-star its 3 listings within 2 hours.</summary>
    private static InMemoryMarketplace Run(TimeSpan? stopAfterAttackStart = null)
    {
        var b = new ScenarioBuilder();
        b.Brand("B-ac", "Acoustica", ["acoustica"], 199m, officialStores: ["S-official"]);
        b.Seller("S-official");
        string[] listings = ["L-off-1", "L-off-2", "L-off-3"];
        foreach (var l in listings) b.Listing(l, "S-official", $"Acoustica speaker {l}", "Official store.", "audio", 199m);

        var random = new Random(3);
        for (var i = 0; i < 30; i++)
        {
            b.Advance(TimeSpan.FromHours(5));
            var listing = listings[i % 3];
            var order = b.Order($"O-off-{i}", listing, "S-official", $"C-fan-{i}", 199m);
            b.Advance(TimeSpan.FromHours(1)).Review(listing, "S-official", $"C-fan-{i}", 4 + (i % 2), HonestTraffic.Sentence(random), order.OrderId);
        }

        b.Advance(TimeSpan.FromDays(1));
        var attackStart = b.Now;
        for (var round = 0; round < 3; round++)
        {
            b.At(attackStart + TimeSpan.FromMinutes(40 * round));
            for (var a = 0; a < 15; a++)
            {
                b.Advance(TimeSpan.FromMinutes(2));
                b.Review(listings[round], "S-official", $"C-troll-{a}", 1, $"Terrible fake product, broke after one day, total scam, avoid this brand!! {a % 2}", accountCreatedAt: attackStart - TimeSpan.FromHours(3));
            }
        }

        b.BrandReport("B-ac", BrandReportKind.Defamation, "S-official");
        var stop = stopAfterAttackStart is { } until ? attackStart + until : DateTimeOffset.MaxValue;
        return new InMemoryMarketplace().ApplyAll(b.Events.Where(e => e.OccurredAt <= stop));
    }

    [Fact]
    public void Coordinated_one_star_burst_flags_the_attacking_reviewers()
    {
        var market = Run();

        for (var a = 0; a < 15; a++) ScenarioAssert.Reached(market, EntityKind.Reviewer, $"C-troll-{a}", (int)ReviewerStep.DownWeighted, ReasonCodes.Lockstep);
    }

    [Fact]
    public void Coordinated_one_star_burst_does_not_punish_the_brands_official_store()
    {
        var market = Run();

        var punished = market.Decisions.Where(d => d.EntityKind is EntityKind.Listing or EntityKind.Seller).ToList();
        Assert.True(punished.Count == 0, string.Join("\n", punished.Select(d => $"{d.EntityId} → {d.To}: {string.Join("; ", d.Reasons)}")));
        Assert.Equal(SellerStep.None, market.Seller("S-official").Step);
    }

    [Fact]
    public void During_the_burst_the_target_listing_shows_a_review_attack_that_weighs_nothing()
    {
        var duringFirstRound = Run(stopAfterAttackStart: TimeSpan.FromMinutes(31));

        var reasons = duringFirstRound.Listing("L-off-1").Enforcement.Reasons;
        var attack = Assert.Single(reasons, r => r.Code == ReasonCodes.ReviewAttack);
        Assert.Equal(0, attack.Weight);
        Assert.StartsWith("15 1-2 star reviews in 1h", attack.Message, StringComparison.Ordinal);
        Assert.Equal(ListingStep.None, duringFirstRound.Listing("L-off-1").Step);
    }
}
