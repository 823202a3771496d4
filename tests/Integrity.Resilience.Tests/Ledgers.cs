
namespace Integrity.Resilience.Tests;

/// <summary>The exactly-once verdict: per entity, what is stored equals what the sender's ledger says was accepted.</summary>
internal static class Ledgers
{
    /// <summary>
    /// Every entity in the ledger that keeps an applied counter applied exactly its accepted events, and every other
    /// stored entity of this run (the caller reads only its own) applied none. Fails with the first discrepancies and the totals.
    /// </summary>
    public static void AssertExactlyOnce(IReadOnlyDictionary<EntityKey, long> accepted, IReadOnlyDictionary<EntityKey, StoredEntity> stored)
    {
        var ledger = accepted.Where(p => EntityKinds.Counted.Contains(p.Key.Kind)).ToDictionary();
        var problems = new List<string>();
        long expected = 0, applied = 0;
        foreach (var (entity, count) in ledger)
        {
            var have = stored.TryGetValue(entity, out var s) ? s.EventsApplied : 0;
            expected += count;
            applied += have;
            if (have != count)
            {
                problems.Add($"{entity}: accepted {count}, applied {have}");
            }
        }

        foreach (var (entity, s) in stored)
        {
            if (!ledger.ContainsKey(entity) && s.EventsApplied != 0)
            {
                applied += s.EventsApplied;
                problems.Add($"{entity}: nothing accepted, applied {s.EventsApplied}");
            }
        }

        Assert.True(problems.Count == 0,
            $"{problems.Count} of {ledger.Count} entities differ (applications expected {expected}, stored {applied}):\n" + string.Join("\n", problems.Take(25)));
    }
}
