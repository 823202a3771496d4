using Integrity.Contracts;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Engine.Tests;

/// <summary>
/// Every fraud pattern through the real pipeline (journal, our stream provider, consumers, grains, Table storage,
/// audit table), checked for the decision, its reasons, and agreement with the in-memory reference: on one silo in
/// process (<see cref="OneSiloFraudScenarioTests"/>) and on a cluster of three host processes with Azure Table
/// membership (<see cref="ThreeSiloFraudScenarioTests"/>).
/// </summary>
public abstract class FraudScenarioTests(IEngineUnderTest engine)
{
    [Fact]
    public async Task Paid_review_ring_flags_the_ring_its_listings_and_the_seller()
    {
        const string t = "-c1";
        var run = await ScenarioRun.StartAsync(engine, FraudScenarios.PaidReviewRing(t).Events);

        for (var a = 0; a < 20; a++)
        {
            var d = await run.ReachedAsync(EntityKind.Reviewer, $"C-ring-{a}{t}", (int)ReviewerStep.ReviewsHidden, ReasonCodes.Lockstep);
            Assert.Contains(d.Reasons, r => r.Code == ReasonCodes.Lockstep && r.Value >= 2);
        }

        for (var a = 0; a < 8; a++)
        {
            Assert.Contains((await run.ViewAsync(EntityKind.Reviewer, $"C-ring-{a}{t}")).Reasons, r => r.Code == ReasonCodes.ReviewThenRefund);
        }

        foreach (var l in new[] { $"L-ring-1{t}", $"L-ring-2{t}", $"L-ring-3{t}" })
        {
            await run.ReachedAsync(EntityKind.Listing, l, (int)ListingStep.Suppressed, ReasonCodes.SuspiciousReviewers);
        }

        await run.ReachedAsync(EntityKind.Seller, "S-ring" + t, (int)SellerStep.NewListingsBlocked, ReasonCodes.ReviewManipulation);
    }

    [Fact]
    public async Task Brushing_seller_is_held_with_self_linked_orders_as_evidence()
    {
        const string t = "-c2";
        var run = await ScenarioRun.StartAsync(engine, FraudScenarios.Brushing(t).Events);

        var d = await run.ReachedAsync(EntityKind.Seller, "S-brush" + t, (int)SellerStep.PayoutsHeld, ReasonCodes.Brushing);
        Assert.Contains(d.Reasons, r => r.Code == ReasonCodes.SelfLinkedOrders);
    }

    [Fact]
    public async Task A_seller_held_for_its_orders_tells_the_store_sharing_its_device()
    {
        const string t = "-c16";
        var run = await ScenarioRun.StartAsync(engine, FraudScenarios.Brushing(t, sister: true).Events);

        var held = await run.ReachedAsync(EntityKind.Seller, "S-brush" + t, (int)SellerStep.PayoutsHeld, ReasonCodes.Brushing);
        var brush = await run.ViewAsync(EntityKind.Seller, "S-brush" + t);
        var sister = await run.ViewAsync(EntityKind.Seller, "S-sister" + t);
        var link = Assert.Single(sister.Links, l => l.Kind == "seller" && l.Id == "S-brush" + t);
        Assert.True(link.Level == brush.Level, $"S-sister knows S-brush at level {link.Level}, but S-brush is at {brush.Level} since {held.DecisionId}");
        Assert.Equal(run.Reference.Seller("S-sister" + t).LinkedSellers["S-brush" + t].Level, link.Level);
        Assert.Equal(run.Reference.Seller("S-sister" + t).Enforcement.Level, sister.Level);
    }

    [Fact]
    public async Task An_appeal_on_the_stream_opens_a_case_and_its_reversal_steps_the_seller_down_with_both_in_its_chain()
    {
        const string t = "-c15";
        var b = FraudScenarios.Brushing(t);
        var run = await ScenarioRun.StartAsync(engine, b.Events);
        await run.ReachedAsync(EntityKind.Seller, "S-brush" + t, (int)SellerStep.PayoutsHeld, ReasonCodes.Brushing);
        await engine.WaitUntilSettledAsync();
        var held = await engine.ViewAsync(EntityKind.Seller, "S-brush" + t);
        var contested = held.History.Last(h => h.Origin == DecisionOrigin.Automatic);

        await engine.IngestAsync([new AppealFiled("appeal" + t, b.Now + TimeSpan.FromHours(1), "AP" + t, EntityKind.Seller, "S-brush" + t,
            "Carrier failure, not fake orders.", ["https://p.example/AP/letter.pdf"])]);
        await engine.WaitUntilSettledAsync();
        var open = Assert.Single((await engine.ViewAsync(EntityKind.Seller, "S-brush" + t)).Appeals!);
        Assert.Equal((contested.DecisionId, true), (open.DecisionId, open.IsOpen));

        var reversed = await engine.ActAsync(EntityKind.Seller, "S-brush" + t,
            new AnalystCommand(AnalystVerb.AppealReversed, "act-appeal" + t, "analyst-1", b.Now + TimeSpan.FromHours(2), "Carrier letter checks out", AppealId: "AP" + t));

        Assert.Equal(contested.FromLevel, reversed.Level);
        Assert.Equal(AppealOutcome.Reversed, Assert.Single(reversed.Appeals!).Outcome);
        var audit = await engine.DecisionsAsync(EntityKind.Seller, "S-brush" + t);
        Assert.Contains(audit, r => r.Kind == "appeal" && r.EntryId == "appeal/AP" + t);
        Assert.Contains(audit, r => r.Kind == "action" && r.Actor == "analyst-1" && r.Details.Contains("\"appealId\":\"AP" + t + "\"", StringComparison.Ordinal));
        var chain = await engine.VerifyAuditAsync(EntityKind.Seller, "S-brush" + t);
        Assert.True(chain.Intact && chain.Unchained == 0 && chain.Chained >= audit.Count, chain.Summary);
    }

    [Fact]
    public async Task Thirty_stores_sharing_a_bank_account_are_held_when_an_analyst_closes_one()
    {
        const string t = "-c3";
        var b = FraudScenarios.LinkedNetwork(t);
        var run = await ScenarioRun.StartAsync(engine, b.Events);
        Assert.Contains((await run.ViewAsync(EntityKind.Seller, "S-net-5" + t)).Reasons, r => r.Code == ReasonCodes.LinkedNetwork);

        var close = new AnalystCommand(AnalystVerb.Override, "act-close" + t, "analyst-1", b.Now + TimeSpan.FromHours(1), "Confirmed fraud operator", (int)SellerStep.Closed);
        var closed = await engine.ActAsync(EntityKind.Seller, "S-net-0" + t, close);
        run.Reference.ActOnSeller("S-net-0" + t, s => AnalystActions.Override(s, (int)SellerStep.Closed, null, new AnalystAction(close.ActionId, close.Analyst, close.At, close.Note), run.Reference.Policy));

        Assert.Equal((int)SellerStep.Closed, closed.Level);
        for (var i = 1; i < 30; i++)
        {
            var d = await run.ReachedAsync(EntityKind.Seller, $"S-net-{i}{t}", (int)SellerStep.PayoutsHeld, ReasonCodes.LinkedToClosed);
            Assert.Contains("BankAccount", d.Reasons.Single(r => r.Code == ReasonCodes.LinkedToClosed).Message, StringComparison.Ordinal);
        }

        var audit = await engine.DecisionsAsync(EntityKind.Seller, "S-net-0" + t);
        Assert.Contains(audit, r => r.Kind == "action" && r.Actor == "analyst-1" && r.Step == nameof(SellerStep.Closed));

        // The closed store's chain holds its decisions and the analyst's action; the stores held through the notices
        // were decided on whichever silo held them: every chain is whole.
        var chain = await engine.VerifyAuditAsync(EntityKind.Seller, "S-net-0" + t);
        Assert.True(chain.Intact && chain.Unchained == 0 && chain.Chained >= audit.Count, chain.Summary);
        for (var i = 1; i < 30; i++)
        {
            var verdict = await engine.VerifyAuditAsync(EntityKind.Seller, $"S-net-{i}{t}");
            Assert.True(verdict.Intact && verdict.Unchained == 0, $"S-net-{i}{t}: {verdict.Summary}");
        }
    }

    [Fact]
    public async Task Counterfeit_listing_at_20_percent_of_reference_is_suppressed()
    {
        const string t = "-c4";
        var run = await ScenarioRun.StartAsync(engine, FraudScenarios.Counterfeit("S-fake", 39.80m, t).Events);

        var d = await run.ReachedAsync(EntityKind.Listing, "L-cf" + t, (int)ListingStep.Suppressed, ReasonCodes.Counterfeit);
        var reason = d.Reasons.Single(r => r.Code == ReasonCodes.Counterfeit);
        Assert.Equal(0.2, reason.Value, 3);
        Assert.Contains("20% of the reference 199.00", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_with_Chinese_medical_claims_is_suppressed()
    {
        const string t = "-c5";
        var run = await ScenarioRun.StartAsync(engine, FraudScenarios.ChineseMedicalClaims(t).Events);

        var d = await run.ReachedAsync(EntityKind.Listing, "L-herb" + t, (int)ListingStep.Suppressed, ReasonCodes.ProhibitedClaim);
        Assert.Contains("\"根治\" (zh)", d.Reasons.Single(r => r.Code == ReasonCodes.ProhibitedClaim).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_far_under_its_category_median_is_flagged_for_price_dumping()
    {
        const string t = "-c6";
        // The category's prices are known before the dumper arrives: listings of different sellers go through
        // different journal partitions, so within one batch the median a listing sees depends on partition timing.
        var events = FraudScenarios.PriceDumping(t).Events;
        await engine.IngestAsync([.. events.SkipLast(2)]);
        await engine.WaitUntilSettledAsync();
        var run = await ScenarioRun.StartAsync(engine, events);

        var d = await run.ReachedAsync(EntityKind.Listing, "L-dump" + t, (int)ListingStep.Flagged, ReasonCodes.PriceDumping);
        Assert.True(d.Reasons.Single(r => r.Code == ReasonCodes.PriceDumping).Value < 0.15);
        await run.NoDecisionAsync(EntityKind.Listing, "L-cat-3" + t);
    }

    [Fact]
    public async Task Complaint_spike_flags_the_listing_and_warns_the_seller()
    {
        const string t = "-c7";
        var run = await ScenarioRun.StartAsync(engine, FraudScenarios.ComplaintSpike(t).Events);

        await run.ReachedAsync(EntityKind.Listing, "L-cmp" + t, (int)ListingStep.Flagged, ReasonCodes.ComplaintRate);
        await run.ReachedAsync(EntityKind.Seller, "S-cmp" + t, (int)SellerStep.Warning, ReasonCodes.SellerComplaintRate);
    }

    [Fact]
    public async Task Coordinated_one_star_burst_flags_the_attackers_and_spares_the_official_store()
    {
        const string t = "-c8";
        var (b, _) = FraudScenarios.Defamation(t);
        var run = await ScenarioRun.StartAsync(engine, b.Events);

        for (var a = 0; a < 15; a++)
        {
            await run.ReachedAsync(EntityKind.Reviewer, $"C-troll-{a}{t}", (int)ReviewerStep.DownWeighted, ReasonCodes.Lockstep);
        }

        await run.NoDecisionAsync(EntityKind.Seller, "S-official" + t);
        foreach (var l in new[] { $"L-off-1{t}", $"L-off-2{t}", $"L-off-3{t}" })
        {
            await run.NoDecisionAsync(EntityKind.Listing, l);
        }
    }

    [Fact]
    public async Task Re_offender_after_decay_is_stepped_up_further_than_a_first_timer_with_its_record_cited()
    {
        const string sellerId = "S-re-c9";
        var b = new ScenarioBuilder { Prefix = "re-c9" };
        FraudScenarios.FirstOffense(b, sellerId);
        await engine.IngestAsync(b.Events);
        await engine.WaitUntilSettledAsync();
        Assert.True((await engine.ViewAsync(EntityKind.Seller, sellerId)).Level >= (int)SellerStep.NewListingsBlocked);

        var reinstated = await engine.ActAsync(EntityKind.Seller, sellerId, new AnalystCommand(AnalystVerb.Reinstate, "act-re-c9", "analyst-1", b.Now + TimeSpan.FromHours(1), "Appeal accepted"));
        Assert.Equal(0, reinstated.Level);

        var before = b.Events.Count;
        FraudScenarios.SecondOffense(b, sellerId, ScenarioBuilder.DefaultStart + TimeSpan.FromDays(365));
        await engine.IngestAsync([.. b.Events.Skip(before)]);
        await engine.WaitUntilSettledAsync();

        var view = await engine.ViewAsync(EntityKind.Seller, sellerId);
        Assert.True(view.Level > (int)SellerStep.Warning, $"re-offender is at {view.Step}; a first timer gets Warning");
        var last = (await engine.DecisionsAsync(EntityKind.Seller, sellerId)).Last(r => r.Kind == "decision");
        Assert.Contains("1 prior offense", last.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Honest_traffic_of_the_same_volume_yields_no_decision_at_all()
    {
        var events = HonestTraffic.Generate(seed: 11);
        await engine.IngestAsync(events);
        await engine.WaitUntilSettledAsync();

        var entities = events.SelectMany(e => e.TouchedEntities())
            .Where(e => e.Kind is EntityKind.Seller or EntityKind.Listing or EntityKind.Reviewer)
            .Distinct()
            .ToList();
        Assert.True(entities.Count > 100, $"only {entities.Count} entities");
        var decided = new List<string>();
        foreach (var entity in entities)
        {
            var records = await engine.DecisionsAsync(entity.Kind, entity.Id);
            decided.AddRange(records.Select(r => $"{entity} → {r.Step}: {r.Details}"));
        }

        Assert.True(decided.Count == 0, string.Join("\n", decided));
    }
}

[Collection(EngineCollection.Name)]
public sealed class OneSiloFraudScenarioTests(EngineFixture engine) : FraudScenarioTests(engine);

[Collection(ClusterCollection.Name)]
public sealed class ThreeSiloFraudScenarioTests(ClusterEngineFixture cluster) : FraudScenarioTests(cluster);
