using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.State;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Rules;

public sealed class AppealTests
{
    private static readonly PolicyOptions Policy = PolicyOptions.Default;

    /// <summary>A listing suppressed for a prohibited claim.</summary>
    private static (ListingState State, ScenarioBuilder Builder) Suppressed()
    {
        var b = new ScenarioBuilder();
        var state = Fold.Listing([b.Listing("L-1", "S-1", "Herbal tea", "This tea cures cancer.", "health", 20m)]);
        Assert.Equal(ListingStep.Suppressed, state.Step);
        return (state, b);
    }

    private static AppealFiled Appeal(ScenarioBuilder b, string appealId = "AP-1", string eventId = "evt-appeal-1", string? decisionId = null) =>
        new(eventId, b.Now + TimeSpan.FromHours(2), appealId, EntityKind.Listing, "L-1", "The claim was removed from the label.", ["https://p.example/a/1.pdf", "DOC-9"], decisionId);

    private static AnalystAction Act(string id, ScenarioBuilder b) => new(id, "analyst-7", b.Now + TimeSpan.FromHours(3), "label checked");

    [Fact]
    public void Filing_opens_a_case_against_the_latest_step_and_moves_nothing()
    {
        var (state, b) = Suppressed();
        var step = state.Enforcement.History.Last();

        var filed = Appeals.File(state, Appeal(b), Policy);

        Assert.Equal(ApplyStatus.Applied, filed.Status);
        Assert.Null(filed.Decision);
        var appeal = Assert.Single(filed.State.Enforcement.Appeals);
        Assert.Same(appeal, filed.Appeal);
        Assert.True(appeal.IsOpen);
        Assert.Equal((step.DecisionId, step.FromLevel, step.ToLevel), (appeal.DecisionId, appeal.FromLevel, appeal.ToLevel));
        Assert.Equal(step.ReasonCodes, appeal.ReasonCodes);
        Assert.Equal(["https://p.example/a/1.pdf", "DOC-9"], appeal.Attachments);
        Assert.Equal((state.Enforcement.Level, state.Enforcement.Score, state.Clock), (filed.State.Enforcement.Level, filed.State.Enforcement.Score, filed.State.Clock));
        Assert.Empty(state.Enforcement.Appeals);
    }

    [Fact]
    public void The_same_event_again_is_a_duplicate_and_opens_nothing_more()
    {
        var (state, b) = Suppressed();
        var filed = Appeals.File(state, Appeal(b), Policy);

        Assert.Null(Appeals.Problem(filed.State, Appeal(b)));
        var again = Appeals.File(filed.State, Appeal(b), Policy);

        Assert.Equal(ApplyStatus.Duplicate, again.Status);
        Assert.Null(again.Appeal);
        Assert.Single(again.State.Enforcement.Appeals);
    }

    [Fact]
    public void An_entity_cannot_take_an_appeal_with_nothing_to_contest_an_unknown_decision_or_a_second_open_one()
    {
        var (state, b) = Suppressed();
        var clean = Fold.Listing([new ScenarioBuilder().Listing("L-1", "S-1", "Green tea", "Loose leaf.", "health", 20m)]);
        var open = Appeals.File(state, Appeal(b), Policy).State;

        Assert.Equal(Appeals.NothingToContest, Appeals.Problem(clean, Appeal(b))!.Value.Code);
        Assert.Equal(Appeals.UnknownDecision, Appeals.Problem(state, Appeal(b, decisionId: "listing/L-1/2/nope"))!.Value.Code);
        Assert.Equal(Appeals.AlreadyOpen, Appeals.Problem(open, Appeal(b, "AP-2", "evt-appeal-2"))!.Value.Code);
        Assert.Equal(Appeals.IdReused, Appeals.Problem(open, Appeal(b, "AP-1", "evt-appeal-3"))!.Value.Code);
        Assert.Throws<InvalidOperationException>(() => Appeals.File(clean, Appeal(b), Policy));
    }

    [Fact]
    public void Reversal_undoes_the_contested_step_names_the_appeal_and_the_same_evidence_does_not_re_escalate()
    {
        var (state, b) = Suppressed();
        var contested = state.Enforcement.History.Last();
        var open = Appeals.File(state, Appeal(b), Policy).State;

        var reversed = AnalystActions.DecideAppeal(open, "AP-1", AppealOutcome.Reversed, null, Act("a-1", b), Policy);
        var later = ListingRules.Apply(reversed.State, b.Advance(TimeSpan.FromDays(1)).Order("O-1", "L-1", "S-1", "C-1"), ListingContext.None, Policy);

        Assert.Equal(contested.FromLevel, reversed.State.Enforcement.Level);
        var decision = reversed.Decision!;
        Assert.Equal((DecisionOrigin.AppealReversed, "AP-1", "label checked"), (decision.Origin, decision.AppealId, decision.Note));
        Assert.Equal(contested.DecisionId, decision.TriggeringEventIds.Last());
        Assert.Equal(contested.DecisionId, reversed.State.Enforcement.History.Last().Reverses);
        var closed = Assert.Single(reversed.State.Enforcement.Appeals);
        Assert.Equal((AppealOutcome.Reversed, "analyst-7", decision.DecisionId), (closed.Outcome, closed.DecidedBy, closed.OutcomeDecisionId));
        Assert.Null(later.Decision);
    }

    [Fact]
    public void Partly_steps_down_one_step_by_default_and_upheld_moves_nothing()
    {
        var (state, b) = Suppressed();
        var open = Appeals.File(state, Appeal(b), Policy).State;

        var partly = AnalystActions.DecideAppeal(open, "AP-1", AppealOutcome.Partly, null, Act("a-1", b), Policy);
        var upheld = AnalystActions.DecideAppeal(open, "AP-1", AppealOutcome.Upheld, null, Act("a-2", b), Policy);

        Assert.Equal(ListingStep.Flagged, partly.State.Step);
        Assert.Equal(DecisionOrigin.AppealPartly, partly.Decision!.Origin);
        Assert.Equal(ListingStep.Suppressed, upheld.State.Step);
        var kept = upheld.Decision!;
        Assert.Equal((DecisionOrigin.AppealUpheld, kept.FromLevel), (kept.Origin, kept.ToLevel));
        var contested = state.Enforcement.History.Last().DecisionId;
        Assert.Equal(contested, kept.TriggeringEventIds.Last());
        Assert.Equal(contested, partly.Decision.TriggeringEventIds.Last());
        Assert.Throws<ArgumentException>(() => AnalystActions.DecideAppeal(open, "AP-1", AppealOutcome.Partly, 2, Act("a-3", b), Policy));
    }

    [Fact]
    public void A_decided_appeal_cannot_be_decided_again_but_the_same_action_retried_is_a_no_op()
    {
        var (state, b) = Suppressed();
        var decided = AnalystActions.DecideAppeal(Appeals.File(state, Appeal(b), Policy).State, "AP-1", AppealOutcome.Upheld, null, Act("a-1", b), Policy).State;

        var retried = AnalystActions.DecideAppeal(decided, "AP-1", AppealOutcome.Upheld, null, Act("a-1", b), Policy);

        Assert.Equal(ApplyStatus.Duplicate, retried.Status);
        Assert.Throws<InvalidOperationException>(() => AnalystActions.DecideAppeal(decided, "AP-1", AppealOutcome.Reversed, null, Act("a-2", b), Policy));
        Assert.Throws<InvalidOperationException>(() => AnalystActions.DecideAppeal(decided, "AP-9", AppealOutcome.Reversed, null, Act("a-3", b), Policy));
    }

    [Fact]
    public void A_seller_whose_appeal_is_reversed_gets_its_penalty_points_back()
    {
        var b = new ScenarioBuilder();
        var seller = SellerState.Create("S-1");
        var stepped = AnalystActions.Override(seller, 2, null, new AnalystAction("o-1", "analyst-1", b.Now, "test"), Policy).State;
        Assert.NotEmpty(stepped.Credit.Penalties);
        var appeal = new AppealFiled("evt-a", b.Now + TimeSpan.FromHours(1), "AP-S", EntityKind.Seller, "S-1", "not me", []);

        var reversed = AnalystActions.DecideAppeal(Appeals.File(stepped, appeal, Policy).State, "AP-S", AppealOutcome.Reversed, null,
            new AnalystAction("a-1", "analyst-2", b.Now + TimeSpan.FromHours(2), "ok"), Policy);

        Assert.Equal(0, reversed.State.Enforcement.Level);
        Assert.Empty(reversed.State.Credit.Penalties);
        Assert.Equal(0, reversed.State.Credit.Offenses);
    }
}
