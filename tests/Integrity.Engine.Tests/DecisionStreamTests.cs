using System.Collections.Concurrent;
using Integrity.Contracts;
using Integrity.Domain.Tests.Fixtures;
using Orleans.Streams;

namespace Integrity.Engine.Tests;

[Collection(EngineCollection.Name)]
public sealed class DecisionStreamTests(EngineFixture engine)
{
    [Fact]
    public async Task Decisions_are_published_on_the_decisions_stream_as_they_are_audited()
    {
        var received = new ConcurrentQueue<AuditRecord>();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stream = engine.Cluster.Client.GetStreamProvider(StreamNames.DecisionsProvider)
            .GetStream<AuditRecord>(StreamId.Create(StreamNames.DecisionsNamespace, StreamNames.DecisionsKey));
        var subscription = await stream.SubscribeAsync((record, _) =>
        {
            received.Enqueue(record);
            if (record.EntityId == "L-cf-s1")
            {
                arrived.TrySetResult();
            }

            return Task.CompletedTask;
        });

        try
        {
            await engine.IngestAsync(FraudScenarios.Counterfeit("S-fake", 39.80m, "-s1").Events);
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }

        var decision = Assert.Single(received, r => r.EntityId == "L-cf-s1");
        Assert.Equal("listing", decision.EntityKind);
        Assert.Equal("decision", decision.Kind);
        Assert.Contains("COUNTERFEIT", decision.Details, StringComparison.Ordinal);
        var audited = await engine.DecisionsAsync(Domain.Events.EntityKind.Listing, "L-cf-s1");
        Assert.Contains(audited, r => r.EntryId == decision.EntryId);
    }
}
