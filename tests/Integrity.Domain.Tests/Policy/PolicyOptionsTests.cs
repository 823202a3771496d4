using Integrity.Domain.Policy;

namespace Integrity.Domain.Tests.Policy;

public sealed class PolicyOptionsTests
{
    [Fact]
    public void Default_policy_is_valid_and_configures_every_signal()
    {
        var policy = new PolicyOptions();

        Assert.Empty(policy.Validate());
        Assert.Equal(ReasonCodes.AllSignals.Order(), policy.Signals.Keys.Order());
    }

    [Fact]
    public void Invalid_policy_lists_every_problem_by_configuration_key()
    {
        var policy = new PolicyOptions { Version = " " };
        policy.Signals[ReasonCodes.ReviewBurst].Weight = 1.5;
        policy.Signals[ReasonCodes.Lockstep].Window = TimeSpan.Zero;
        policy.Signals.Remove(ReasonCodes.Brushing);
        policy.Signals["MADE_UP"] = new SignalRule();
        policy.Seller.Suspended = 50;
        policy.Listing.Removed = 120;
        policy.Credit.HalfLife = TimeSpan.Zero;

        var errors = policy.Validate();

        Assert.Contains(errors, e => e.StartsWith("Version:", StringComparison.Ordinal));
        Assert.Contains("Signals:REVIEW_BURST:Weight: must be within 0..1, got 1.5.", errors);
        Assert.Contains(errors, e => e.StartsWith("Signals:LOCKSTEP:Window:", StringComparison.Ordinal));
        Assert.Contains("Signals:BRUSHING: missing.", errors);
        Assert.Contains(errors, e => e.StartsWith("Signals:MADE_UP: not a known signal", StringComparison.Ordinal));
        Assert.Contains("Seller:Suspended: must be above Seller:PayoutsHeld (50 ≤ 60).", errors);
        Assert.Contains("Listing:Removed: must be within (0, 100], got 120.", errors);
        Assert.Contains(errors, e => e.StartsWith("Credit:HalfLife:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_disabled_signal_never_trips()
    {
        var policy = new PolicyOptions();
        policy.Signals[ReasonCodes.ProhibitedClaim].Enabled = false;
        var b = new Fixtures.ScenarioBuilder();

        var state = Fixtures.Fold.Listing([b.Listing("L-1", "S-1", "Tea", "cures cancer")], policy: policy);

        Assert.Empty(state.Enforcement.Reasons);
    }

    [Fact]
    public void Decisions_record_the_policy_version()
    {
        var policy = new PolicyOptions { Version = "2026-12-strict" };
        var b = new Fixtures.ScenarioBuilder();

        var result = Domain.Rules.ListingRules.Apply(Domain.State.ListingState.Create("L-1"), b.Listing("L-1", "S-1", "Tea", "cures cancer"), Helpers.ListingContext.None, policy);

        Assert.Equal("2026-12-strict", result.Decision!.PolicyVersion);
        Assert.Equal("2026-12-strict", result.Assessment.PolicyVersion);
    }
}
