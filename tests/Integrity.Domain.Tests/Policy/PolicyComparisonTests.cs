using Integrity.Domain.Enforcement;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Policy;

public sealed class PolicyComparisonTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static ComparedDecision D(string kind, string id, int level, string id2, int minutes, params string[] codes) =>
        new(kind, id, level, $"L{level}", codes, T0.AddMinutes(minutes), id2);

    [Fact]
    public void Decisions_pair_by_entity_and_step_whatever_event_tipped_them_and_the_rest_are_counted_per_side_kind_and_reason()
    {
        ComparedDecision[] active =
        [
            D("seller", "S-1", 1, "seller/S-1/1/e5", 50, "BRUSHING"),
            D("seller", "S-1", 3, "seller/S-1/3/e9", 90, "BRUSHING", "SELF_LINKED"),
            D("listing", "L-1", 2, "listing/L-1/2/e3", 30, "PROHIBITED_CLAIM"),
        ];
        ComparedDecision[] candidate =
        [
            D("seller", "S-1", 1, "seller/S-1/1/e2", 20, "BRUSHING"),            // earlier event, same step: both
            D("seller", "S-1", 2, "seller/S-1/2/e4", 40, "BRUSHING"),            // a step the active ladder skipped
            D("seller", "S-1", 3, "seller/S-1/3/e9", 90, "BRUSHING", "SELF_LINKED"),
            D("listing", "L-2", 1, "listing/L-2/1/e7", 70, "COUNTERFEIT_PRICE"),
            D("listing", "L-2", 1, "listing/L-2/1/e7", 70, "COUNTERFEIT_PRICE"), // a replayed row: counted once
        ];

        var report = PolicyComparison.Compare(active, candidate);

        Assert.Equal((3, 4, 2, 1, 2), (report.Active, report.Candidate, report.Both, report.OnlyActive, report.OnlyCandidate));
        Assert.Equal(
            [new ComparisonRow("listing", 1, 1, 0, 1, 1, 0), new ComparisonRow("seller", 2, 3, 2, 0, 1, 1)],
            report.ByEntityKind.OrderBy(r => r.Key, StringComparer.Ordinal));
        var byReason = report.ByReason.ToDictionary(r => r.Key);
        Assert.Equal(new ComparisonRow("BRUSHING", 2, 3, 2, 0, 1, 1), byReason["BRUSHING"]);
        Assert.Equal(new ComparisonRow("PROHIBITED_CLAIM", 1, 0, 0, 1, 0, -1), byReason["PROHIBITED_CLAIM"]);
        Assert.Equal(new ComparisonRow("COUNTERFEIT_PRICE", 0, 1, 0, 0, 1, 1), byReason["COUNTERFEIT_PRICE"]);
        Assert.Equal(new ComparisonRow("SELF_LINKED", 1, 1, 1, 0, 0, 0), byReason["SELF_LINKED"]);

        // Examples name both decisions of a pair, newest first.
        Assert.Equal(["seller/S-1/3/e9", "seller/S-1/1/e5"], report.BothExamples.Select(e => e.ActiveDecisionId));
        Assert.Equal("seller/S-1/1/e2", report.BothExamples[1].CandidateDecisionId);
        Assert.Equal([("listing", "L-2"), ("seller", "S-1")], report.OnlyCandidateExamples.Select(e => (e.EntityKind, e.EntityId)));
        Assert.Equal("listing/L-2/1/e7", report.OnlyCandidateExamples[0].CandidateDecisionId);
        Assert.Null(report.OnlyCandidateExamples[0].ActiveDecisionId);
        Assert.Equal(("L-1", "listing/L-2/1/e7"), (Assert.Single(report.OnlyActiveExamples).EntityId, report.OnlyCandidateExamples[0].CandidateDecisionId));
    }

    [Fact]
    public void An_entity_that_reached_a_step_twice_pairs_its_decisions_in_time_order_and_examples_are_capped()
    {
        ComparedDecision[] active = [D("listing", "L-1", 1, "a1", 10), D("listing", "L-1", 1, "a2", 100)];
        ComparedDecision[] candidate = [D("listing", "L-1", 1, "c1", 5)];

        var report = PolicyComparison.Compare(active, candidate, maxExamples: 0);

        Assert.Equal((1, 1, 0), (report.Both, report.OnlyActive, report.OnlyCandidate));
        Assert.Empty(report.BothExamples);
        Assert.Equal(("a1", "c1"), (PolicyComparison.Compare(active, candidate).BothExamples[0].ActiveDecisionId, PolicyComparison.Compare(active, candidate).BothExamples[0].CandidateDecisionId));
    }

    [Fact]
    public void A_candidate_with_a_lower_threshold_decides_on_its_own_ladder_and_leaves_the_real_state_as_it_was()
    {
        var b = new ScenarioBuilder();
        var claim = b.Listing("L-1", "S-1", "Herbal tea", "This tea cures cancer.", "health", 20m);
        var lenient = new PolicyOptions { Version = "lenient" };
        var strict = new PolicyOptions { Version = "strict", Listing = new ListingLadderOptions { Flagged = 99, Suppressed = 99.5, Removed = 100 } };
        var underLenient = Fold.Listing([claim], policy: lenient);
        var real = Fold.Listing([claim], policy: strict);
        Assert.Equal((0, true), (real.Enforcement.Level, underLenient.Enforcement.Level > 0));
        var before = Serialization.DomainJson.Serialize(real);

        var shadow = ShadowLadder.StartFrom(real.Enforcement, lenient.Version);
        var decision = ListingRules.Shadow(real, shadow, claim.EventId, b.Now, lenient);

        Assert.NotNull(decision);
        Assert.Equal((underLenient.Enforcement.Level, "lenient", $"listing/L-1/{underLenient.Enforcement.Level}/{claim.EventId}"),
            (decision.ToLevel, decision.PolicyVersion, decision.DecisionId));
        Assert.Equal(decision.ToLevel, shadow.Enforcement.Level);
        Assert.Equal(before, Serialization.DomainJson.Serialize(real));

        // Its ladder holds: the same facts again decide nothing more.
        Assert.Null(ListingRules.Shadow(real, shadow, "e-again", b.Now, lenient));
    }
}

public sealed class PolicySelectorTests
{
    private static readonly PolicyOptions Configured = new() { Version = "v1" };
    private static readonly PolicyOptions Candidate = new() { Version = "v2", Listing = new ListingLadderOptions { Flagged = 20 } };

    [Fact]
    public void A_candidate_runs_beside_the_configured_policy_until_it_is_promoted_then_decides_alone()
    {
        var before = PolicySelector.Select(Configured, Candidate, null);
        Assert.Equal(("v1", "v2"), (before.Active.Version, before.Candidate?.Version));

        var promotion = new PolicyPromotion("v2", "v1", Candidate, DateTimeOffset.UnixEpoch, "carol (key 0123)", null);
        var after = PolicySelector.Select(Configured, Candidate, promotion);

        Assert.Same(Candidate, after.Active);
        Assert.Null(after.Candidate);
        Assert.Same(promotion, after.Promotion);
    }

    [Fact]
    public void A_promotion_supersedes_only_the_configured_version_it_replaced()
    {
        var promotion = new PolicyPromotion("v2", "v1", Candidate, DateTimeOffset.UnixEpoch, "carol (key 0123)", null);

        // The operator wrote a newer policy into the configuration: it decides, the old promotion is history.
        var reconfigured = PolicySelector.Select(new PolicyOptions { Version = "v3" }, null, promotion);

        Assert.Equal("v3", reconfigured.Active.Version);
        Assert.Null(reconfigured.Promotion);
    }
}
