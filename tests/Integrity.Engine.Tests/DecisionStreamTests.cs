using Integrity.Contracts;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Engine.Tests;

[Collection(EngineCollection.Name)]
public sealed class DecisionStreamTests(EngineFixture engine)
{
    [Fact]
    public async Task Decisions_are_pushed_to_every_registered_live_feed_as_they_are_audited()
    {
        var feed = new RecordingFeed("L-cf-s1");
        var client = engine.Cluster.Client;
        var registry = ObserverRegistry.Of<IDecisionObserver>(client);
        var reference = client.CreateObjectReference<IDecisionObserver>(feed);
        await registry.RegisterAsync(reference, TimeSpan.FromMinutes(1));
        var received = feed.Received;
        try
        {
            await engine.IngestAsync(FraudScenarios.Counterfeit("S-fake", 39.80m, "-s1").Events);
            await feed.Arrived.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await registry.UnregisterAsync(reference);
            client.DeleteObjectReference<IDecisionObserver>(reference);
        }

        var decision = Assert.Single(received, r => r.EntityId == "L-cf-s1");
        Assert.Equal("listing", decision.EntityKind);
        Assert.Equal("decision", decision.Kind);
        Assert.Contains("COUNTERFEIT", decision.Details, StringComparison.Ordinal);
        var audited = await engine.DecisionsAsync(Domain.Events.EntityKind.Listing, "L-cf-s1");
        Assert.Contains(audited, r => r.EntryId == decision.EntryId);
    }
}
