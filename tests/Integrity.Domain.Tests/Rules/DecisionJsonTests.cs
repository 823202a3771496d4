using System.Text.Json;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Serialization;
using Integrity.Domain.Tests.Scenarios;

namespace Integrity.Domain.Tests.Rules;

public sealed class DecisionJsonTests
{
    [Fact]
    public void Decisions_serialize_as_readable_json_that_round_trips()
    {
        var market = PaidReviewRingTests.Run();
        var decision = market.DecisionsFor(EntityKind.Listing, "L-ring-1").Last();

        var json = DomainJson.Serialize(decision);
        var root = JsonDocument.Parse(json).RootElement;
        var back = DomainJson.Deserialize<Decision>(json);

        Assert.Equal("listing", root.GetProperty("entityKind").GetString());
        Assert.Equal("Suppressed", root.GetProperty("to").GetString());
        Assert.Equal("automatic", root.GetProperty("origin").GetString());
        Assert.True(root.GetProperty("reasons")[0].TryGetProperty("message", out _));
        Assert.DoesNotContain("Integrity.Domain", json, StringComparison.Ordinal);
        Assert.Equal(json, DomainJson.Serialize(back));
        if (Environment.GetEnvironmentVariable("INTEGRITY_PRINT_DECISION") is { Length: > 0 } path) File.WriteAllText(path, json);
    }
}
