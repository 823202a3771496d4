using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.Serialization;
using Integrity.Domain.State;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Rules;

public sealed class IdempotencyTests
{
    [Fact]
    public void Applying_an_event_twice_returns_the_same_state_instance_and_no_decision()
    {
        var b = new ScenarioBuilder();
        var e = b.Listing("L-1", "S-1", "Tea", "cures cancer");
        var first = ListingRules.Apply(ListingState.Create("L-1"), e, ListingContext.None, PolicyOptions.Default);

        var second = ListingRules.Apply(first.State, e, ListingContext.None, PolicyOptions.Default);

        Assert.NotNull(first.Decision);
        Assert.Equal(ApplyStatus.Duplicate, second.Status);
        Assert.Same(first.State, second.State);
        Assert.Null(second.Decision);
        Assert.Equal(first.Assessment.Score, second.Assessment.Score);
    }

    [Fact]
    public void Decision_ids_are_deterministic_so_a_replay_produces_the_same_id()
    {
        var b = new ScenarioBuilder();
        var e = b.Listing("L-1", "S-1", "Tea", "cures cancer");

        var a = ListingRules.Apply(ListingState.Create("L-1"), e, ListingContext.None, PolicyOptions.Default).Decision!;
        var c = ListingRules.Apply(ListingState.Create("L-1"), e, ListingContext.None, PolicyOptions.Default).Decision!;

        Assert.Equal(a.DecisionId, c.DecisionId);
        Assert.Equal($"listing/L-1/2/{e.EventId}", a.DecisionId);
    }

    [Fact]
    public void Event_older_than_the_forgotten_ids_is_refused_as_too_late_rather_than_risk_a_double_count()
    {
        var log = new AppliedEventLog { Capacity = 10 };
        for (var i = 0; i < 11; i++) log.Record($"e-{i}", ScenarioBuilder.DefaultStart + TimeSpan.FromMinutes(i));

        Assert.Equal(ApplyStatus.TooLate, log.Check("e-0", ScenarioBuilder.DefaultStart));
        Assert.Equal(ApplyStatus.TooLate, log.Check("unseen", ScenarioBuilder.DefaultStart));
        Assert.Equal(ApplyStatus.Duplicate, log.Check("e-5", ScenarioBuilder.DefaultStart + TimeSpan.FromMinutes(5)));
        Assert.Equal(ApplyStatus.Applied, log.Check("e-new", ScenarioBuilder.DefaultStart + TimeSpan.FromMinutes(3)));
        Assert.Equal(10, log.Entries.Count);
    }

    [Fact]
    public void Applied_log_survives_json_and_still_detects_duplicates()
    {
        var log = new AppliedEventLog();
        log.Record("e-1", ScenarioBuilder.DefaultStart);

        var back = DomainJson.Deserialize<AppliedEventLog>(DomainJson.Serialize(log));

        Assert.Equal(ApplyStatus.Duplicate, back.Check("e-1", ScenarioBuilder.DefaultStart));
    }

    [Fact]
    public void Late_listing_update_does_not_overwrite_newer_content()
    {
        var b = new ScenarioBuilder();
        var created = b.Listing("L-1", "S-1", "Phone case");
        var older = b.Advance(TimeSpan.FromHours(1)).ListingUpdate("L-1", "S-1", "Phone case v2");
        var newer = b.Advance(TimeSpan.FromHours(1)).ListingUpdate("L-1", "S-1", "Phone case v3");

        var state = Fold.Listing([created, newer, older]);

        Assert.Equal("Phone case v3", state.Title);
        Assert.Equal(3, state.Applied.Entries.Count);
    }
}
