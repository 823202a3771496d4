using Integrity.Domain.Enforcement;
using Integrity.Domain.Outcomes;

namespace Integrity.Domain.Tests.Outcomes;

public sealed class OutcomePairingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    private static TrailEntry Decision(string id, int minute, string policy = "v1", params string[] codes) =>
        new(id, true, null, T0.AddMinutes(minute), T0.AddDays(-8).AddMinutes(minute), policy, codes, []);

    private static TrailEntry Action(string id, string kind, int minute, params string[] references) =>
        new(id, false, kind, T0.AddMinutes(minute), T0.AddMinutes(minute), "v2", [], references);

    [Fact]
    public void An_action_rules_on_the_last_decision_recorded_before_it()
    {
        var trail = new[] { Decision("d1", 1, "v1", "BRUSHING"), Decision("d2", 3, "v1", "BRUSHING", "SELF_LINKED_ORDERS"), Decision("d3", 9, "v1", "LINKED_NETWORK") };
        var confirm = Action("a1", "analyst_confirm", 5);

        var result = OutcomePairing.Pair([.. trail, confirm], [confirm]);

        var verdict = Assert.Single(result.Verdicts);
        Assert.Equal("d2", verdict.DecisionId);
        Assert.Equal(["BRUSHING", "SELF_LINKED_ORDERS"], verdict.ReasonCodes);
        Assert.Equal("v1", verdict.PolicyVersion);
        Assert.Equal(OutcomeLabel.Confirmed, verdict.Label);
        Assert.Equal(0, result.Unpaired);
    }

    [Fact]
    public void A_reversal_rules_on_the_decision_it_names_and_one_naming_an_analysts_own_step_is_no_rules_verdict()
    {
        var trail = new List<TrailEntry> { Decision("d1", 1, "v1", "COUNTERFEIT"), Decision("d2", 2, "v1", "PRICE_DUMPING"), Action("o1", "analyst_override", 3) };
        var reverseD1 = Action("a1", "analyst_reverse", 4, "a1", "d1");
        var reverseOverride = Action("a2", "analyst_reverse", 5, "a2", "o1");
        trail.AddRange([reverseD1, reverseOverride]);

        var result = OutcomePairing.Pair(trail, [reverseD1, reverseOverride]);

        var verdict = Assert.Single(result.Verdicts);
        Assert.Equal(("d1", OutcomeLabel.Reversed, "analyst_reverse"), (verdict.DecisionId, verdict.Label, verdict.ActionKind));
        Assert.Equal(1, result.Unpaired);
    }

    [Fact]
    public void Overrides_notes_and_actions_with_no_decision_before_them_give_no_verdict()
    {
        var early = Action("a0", "analyst_confirm", 0);
        var trail = new List<TrailEntry> { early, Decision("d1", 1, "v1", "COUNTERFEIT"), Action("o1", "analyst_override", 2), Action("n1", "note", 3) };

        var result = OutcomePairing.Pair(trail, trail.Where(e => !e.IsDecision));

        Assert.Empty(result.Verdicts);
        Assert.Equal(1, result.Unpaired);
    }

    [Fact]
    public void Analyst_and_appeal_kinds_map_to_labels_and_others_to_none()
    {
        Assert.Equal(OutcomeLabel.Confirmed, OutcomeLabels.Of(OutcomeLabels.KindOf(DecisionOrigin.AnalystConfirm)));
        Assert.Equal(OutcomeLabel.Reversed, OutcomeLabels.Of("analyst_reverse"));
        Assert.Equal(OutcomeLabel.Reversed, OutcomeLabels.Of("analyst_reinstate"));
        Assert.Equal(OutcomeLabel.Confirmed, OutcomeLabels.Of("appeal_upheld"));
        Assert.Equal(OutcomeLabel.Reversed, OutcomeLabels.Of("appeal_reversed"));
        Assert.Null(OutcomeLabels.Of("analyst_override"));
        Assert.Null(OutcomeLabels.Of("note"));
        Assert.Null(OutcomeLabels.Of(null));
    }
}
