using Integrity.Harness.Market;

namespace Integrity.Harness.Ledger;

/// <summary>One entity whose applied count is not what the ledger says.</summary>
public sealed record LedgerDiscrepancy(EntityKind Kind, string Id, long Accepted, long Uncertain, long Applied, string Problem);

/// <summary>
/// The exactly-once verdict: every accepted event applied once (none missing), and nothing applied beyond what was
/// accepted (no duplicates, no event that was rejected or never sent).
/// </summary>
public sealed record LedgerCheckResult(
    long EntitiesChecked,
    long EntitiesMatching,
    long EventsExpected,
    long EventsApplied,
    long MissingApplications,
    long ExtraApplications,
    IReadOnlyList<LedgerDiscrepancy> Discrepancies,
    IReadOnlyList<string> MissingEventIds,
    IReadOnlyList<string> UnexpectedEventIds)
{
    public bool Passed => MissingApplications == 0 && ExtraApplications == 0 && MissingEventIds.Count == 0 && UnexpectedEventIds.Count == 0;
}

/// <summary>Compares the sender's ledger with the engine's per-entity counters.</summary>
public static class LedgerCheck
{
    /// <summary>
    /// Against what the engine stored (<paramref name="stored"/>, every counted entity of the run): each counted entity
    /// of the ledger and of <paramref name="population"/> (the run's other entities, e.g. of events sent but not
    /// accepted), and each other stored one, which must have applied nothing.
    /// </summary>
    public static LedgerCheckResult CompareStored(EventLedger ledger, IReadOnlyDictionary<EntityKey, EntityCounters> stored, IEnumerable<EntityKey>? population = null)
    {
        var observed = new Dictionary<EntityKey, EntityCounters?>();
        foreach (var entity in ledger.PerEntity().Keys.Concat(ledger.UncertainPerEntity().Keys).Concat(population ?? []).Where(e => EntityKinds.Counted.Contains(e.Kind)))
        {
            observed[entity] = stored.GetValueOrDefault(entity);
        }

        foreach (var (entity, counters) in stored)
        {
            observed.TryAdd(entity, counters);
        }

        return Compare(ledger, observed);
    }

    /// <summary>The verdict and its first discrepancies, for a test's failure message.</summary>
    public static string Describe(LedgerCheckResult check) =>
        $"{(check.Passed ? "passed" : "FAILED")}: {check.EntitiesMatching} of {check.EntitiesChecked} entities match; {check.MissingApplications} missing, {check.ExtraApplications} extra of {check.EventsExpected} applications"
        + string.Concat(check.Discrepancies.Take(25).Select(d => $"\n{d.Kind}/{d.Id}: accepted {d.Accepted}, uncertain {d.Uncertain}, applied {d.Applied}: {d.Problem}"))
        + string.Concat(check.MissingEventIds.Concat(check.UnexpectedEventIds).Take(10).Select(id => "\n" + id));

    /// <summary>Discrepancies listed in full up to this many; the counts always cover all of them.</summary>
    public const int MaxListed = 100;

    /// <summary>
    /// <paramref name="observed"/> holds the engine's counters for every entity checked (null: never seen). Checked
    /// entities should include every entity of every event sent, accepted or not, so an event applied without being
    /// accepted shows. Uncertain events (no answer) may count once or not at all.
    /// </summary>
    public static LedgerCheckResult Compare(EventLedger ledger, IReadOnlyDictionary<EntityKey, EntityCounters?> observed)
    {
        var expected = ledger.PerEntity();
        var uncertain = ledger.UncertainPerEntity();
        var acceptedIds = ledger.EventIds();
        var uncertainIds = ledger.UncertainEventIds();
        var perEntityIds = ledger.EventIdsPerEntity();

        var discrepancies = new List<LedgerDiscrepancy>();
        var missingIds = new List<string>();
        var unexpectedIds = new List<string>();
        long matching = 0, missing = 0, extra = 0, expectedTotal = 0, appliedTotal = 0;
        foreach (var (entity, counters) in observed.OrderBy(p => p.Key.Kind).ThenBy(p => p.Key.Id, StringComparer.Ordinal))
        {
            var want = expected.GetValueOrDefault(entity);
            var maybe = uncertain.GetValueOrDefault(entity);
            var applied = counters?.EventsApplied ?? 0;
            expectedTotal += want;
            appliedTotal += applied;

            var ok = true;
            if (applied < want)
            {
                missing += want - applied;
                discrepancies.Add(new(entity.Kind, entity.Id, want, maybe, applied, $"{want - applied} accepted event(s) not applied"));
                ok = false;
            }
            else if (applied > want + maybe)
            {
                extra += applied - want - maybe;
                discrepancies.Add(new(entity.Kind, entity.Id, want, maybe, applied, $"{applied - want - maybe} more event(s) applied than accepted (doubled, or applied without being accepted)"));
                ok = false;
            }

            if (counters?.AppliedEventIds is { } ids)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var id in ids)
                {
                    if (!seen.Add(id) || (!acceptedIds.Contains(id) && !uncertainIds.Contains(id)))
                    {
                        unexpectedIds.Add($"{entity}: {id}");
                        ok = false;
                    }
                }

                foreach (var id in perEntityIds.GetValueOrDefault(entity) ?? [])
                {
                    if (!seen.Contains(id))
                    {
                        missingIds.Add($"{entity}: {id}");
                        ok = false;
                    }
                }
            }

            if (ok) matching++;
        }

        return new LedgerCheckResult(observed.Count, matching, expectedTotal, appliedTotal, missing, extra,
            discrepancies.Take(MaxListed).ToList(), missingIds.Take(MaxListed).ToList(), unexpectedIds.Take(MaxListed).ToList());
    }
}
