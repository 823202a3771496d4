using System.Runtime.CompilerServices;
using Integrity.Harness.Ledger;
using Integrity.LoadTests.Evaluation;
using Integrity.Harness.Market;

namespace Integrity.LoadTests.Tests;

/// <summary>An engine stand-in built from known data: counters per entity and a list of decisions.</summary>
public sealed class InMemoryEngineProbe : IEngineProbe
{
    public Dictionary<EntityKey, EntityCounters> Entities { get; } = [];

    public List<DecisionInfo> Decisions { get; } = [];

    public int EntityReads { get; private set; }

    public void Apply(EntityKey entity, params string[] eventIds)
    {
        var before = Entities.GetValueOrDefault(entity);
        var ids = (before?.AppliedEventIds ?? []).Concat(eventIds).ToList();
        Entities[entity] = new EntityCounters(entity.Kind, entity.Id, ids.Count, ids);
    }

    public Task<EntityCounters?> GetEntityAsync(EntityKind kind, string id, CancellationToken cancellationToken)
    {
        EntityReads++;
        return Task.FromResult(Entities.GetValueOrDefault(new EntityKey(kind, id)));
    }

    public async IAsyncEnumerable<DecisionInfo> GetDecisionsAsync(DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var d in Decisions.Where(d => d.At >= since))
        {
            await Task.Yield();
            yield return d;
        }
    }
}
