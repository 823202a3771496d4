using System.Text.Json;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.Serialization;
using Integrity.Domain.State;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Signals;

/// <summary>Reason messages written on first read (THIN_HISTORY and others) read as if written when the reason was made.</summary>
public sealed class LazyReasonMessageTests
{
    private static List<IntegrityEvent> Reviews(int count)
    {
        var b = new ScenarioBuilder();
        return Enumerable.Range(0, count)
            .Select(i => (IntegrityEvent)b.Advance(TimeSpan.FromHours(1)).Review($"L-{i}", $"S-{i}", "C-1", 5, HonestTraffic.Sentence(new Random(i)), $"O-{i}"))
            .ToList();
    }

    [Fact]
    public void A_message_read_after_the_state_changed_in_place_tells_the_state_it_was_made_on()
    {
        var events = Reviews(2);
        var state = ReviewerState.Create("C-1");
        ReviewerRules.Apply(state, events[0], ReviewerContext.None, PolicyOptions.Default, owned: true);
        var first = Fold.ReasonOf(state.Enforcement, ReasonCodes.ThinHistory)!;

        ReviewerRules.Apply(state, events[1], ReviewerContext.None, PolicyOptions.Default, owned: true);
        var second = Fold.ReasonOf(state.Enforcement, ReasonCodes.ThinHistory)!;

        Assert.StartsWith("1 review over", first.Message, StringComparison.Ordinal);
        Assert.StartsWith("2 reviews over", second.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lazily_written_reason_serializes_in_parameter_order_and_equals_one_written_at_once()
    {
        var state = Fold.Reviewer(Reviews(1));
        var lazy = Fold.ReasonOf(state.Enforcement, ReasonCodes.ThinHistory)!;
        var eager = new Reason(lazy.Code, lazy.Message, lazy.Value, lazy.Threshold, lazy.Weight, lazy.EventIds, lazy.Acknowledged, lazy.Inactive);

        var names = JsonDocument.Parse(DomainJson.Serialize(lazy)).RootElement.EnumerateObject().Select(p => p.Name).ToList();

        Assert.Equal(["code", "message", "value", "threshold", "weight", "eventIds", "acknowledged", "inactive"], names);
        Assert.Equal(eager, lazy);
        Assert.Equal(eager.GetHashCode(), lazy.GetHashCode());
        Assert.Equal(DomainJson.Serialize(eager), DomainJson.Serialize(DomainJson.Deserialize<Reason>(DomainJson.Serialize(lazy))));
    }
}
