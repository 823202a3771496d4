using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.State;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Rules;

public sealed class AnalystActionTests
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

    private static AnalystAction Act(string id, ScenarioBuilder b) => new(id, "analyst-7", b.Now + TimeSpan.FromHours(1), "checked the listing");

    [Fact]
    public void Confirm_records_the_step_without_moving_it()
    {
        var (state, b) = Suppressed();

        var result = AnalystActions.Confirm(state, Act("a-1", b), Policy);

        Assert.Equal(ListingStep.Suppressed, result.State.Step);
        Assert.Equal(DecisionOrigin.AnalystConfirm, result.Decision!.Origin);
        Assert.Equal("analyst-7", result.Decision.Analyst);
        Assert.Equal(result.Decision.FromLevel, result.Decision.ToLevel);
    }

    [Fact]
    public void Reverse_moves_back_down_and_the_same_evidence_does_not_re_escalate()
    {
        var (state, b) = Suppressed();

        var reversed = AnalystActions.Reverse(state, Act("a-1", b), Policy);
        var later = ListingRules.Apply(reversed.State, b.Advance(TimeSpan.FromDays(1)).Order("O-1", "L-1", "S-1", "C-1"), ListingContext.None, Policy);

        Assert.Equal(ListingStep.None, reversed.State.Step);
        Assert.Equal(DecisionOrigin.AnalystReverse, reversed.Decision!.Origin);
        Assert.Contains(state.Enforcement.History.Last().DecisionId, reversed.Decision.TriggeringEventIds);
        Assert.Null(later.Decision);
        Assert.True(later.State.Enforcement.Reasons.Single().Acknowledged);
    }

    [Fact]
    public void New_evidence_after_a_reversal_escalates_again()
    {
        var (state, b) = Suppressed();
        var reversed = AnalystActions.Reverse(state, Act("a-1", b), Policy).State;

        var brand = BrandProfile.Apply(BrandProfile.Create("B-1"), b.Brand("B-1", "Acoustica", ["acoustica"], 200m));
        var updated = ListingRules.Apply(reversed, b.Advance(TimeSpan.FromDays(1)).ListingUpdate("L-1", "S-1", "Acoustica herbal tea", "This tea cures cancer.", "health", 20m), new ListingContext([brand]), Policy);

        Assert.Equal(ListingStep.Suppressed, updated.State.Step);
        Assert.Contains(updated.Decision!.Reasons, r => r.Code == ReasonCodes.Counterfeit && r.Weight > 0);
    }

    [Fact]
    public void Reverse_with_nothing_to_reverse_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => AnalystActions.Reverse(ListingState.Create("L-1"), Act("a-1", new ScenarioBuilder()), Policy));
    }

    [Fact]
    public void Reinstate_returns_to_none_and_is_idempotent_by_action_id()
    {
        var (state, b) = Suppressed();

        var once = AnalystActions.Reinstate(state, Act("a-1", b), Policy);
        var again = AnalystActions.Reinstate(once.State, Act("a-1", b), Policy);

        Assert.Equal(ListingStep.None, once.State.Step);
        Assert.Equal(DecisionOrigin.AnalystReinstate, once.Decision!.Origin);
        Assert.Equal(ApplyStatus.Duplicate, again.Status);
        Assert.Null(again.Decision);
    }

    [Fact]
    public void Override_pins_the_step_until_it_expires_then_automatic_steps_resume()
    {
        var b = new ScenarioBuilder();
        var state = Fold.Listing([b.Listing("L-1", "S-1", "Herbal tea", "Calming blend.", "health", 20m)]);
        var pinned = AnalystActions.Override(state, (int)ListingStep.None, b.Now + TimeSpan.FromDays(2), Act("a-1", b), Policy).State;

        var during = ListingRules.Apply(pinned, b.Advance(TimeSpan.FromDays(1)).ListingUpdate("L-1", "S-1", "Herbal tea", "Calming blend that cures cancer.", "health", 20m), ListingContext.None, Policy);
        var after = ListingRules.Reassess(during.State, b.Now + TimeSpan.FromDays(2), Policy);

        Assert.Null(during.Decision);
        Assert.Equal(ListingStep.None, during.State.Step);
        Assert.Equal(ListingStep.Suppressed, after.State.Step);
        Assert.Null(after.State.Enforcement.Override);
    }

    [Fact]
    public void Reversing_a_seller_step_withdraws_its_penalty_points()
    {
        var seller = SellerRules.ObserveLinkedSeller(SellerState.Create("S-1"), new LinkedSellerFact("S-2", (int)SellerStep.Closed, [IdentifierKind.BankAccount], ScenarioBuilder.DefaultStart), Policy).State;
        Assert.Equal(SellerStep.PayoutsHeld, seller.Step);
        Assert.Equal(60, seller.Credit.Penalties.Sum(p => p.Points));

        var reversed = AnalystActions.Reverse(seller, new AnalystAction("a-1", "analyst-7", ScenarioBuilder.DefaultStart + TimeSpan.FromHours(1)), Policy).State;

        Assert.Equal(SellerStep.None, reversed.Step);
        Assert.Empty(reversed.Credit.Penalties);
        Assert.Equal(0, reversed.Credit.Offenses);
    }

    [Fact]
    public void Override_to_a_level_outside_the_ladder_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AnalystActions.Override(ListingState.Create("L-1"), 9, null, Act("a-1", new ScenarioBuilder()), Policy));
    }
}
