using HdrHistogram;
using Integrity.Harness.Ledger;
using Integrity.Harness.Reports;
using Integrity.Harness.Market;

namespace Integrity.LoadTests.Evaluation;

/// <summary>The sections of a report that need the engine's answers.</summary>
public sealed record EngineEvaluation(LedgerCheckResult Ledger, DetectionReport Detection, LatencySummary? EventToDecision, long DecisionsRead, int SettleRounds);

/// <summary>
/// Reads the engine back through an <see cref="IEngineProbe"/> after a run: waits (bounded) until the ledger
/// matches or stops moving, then computes the exactly-once verdict, detection quality and event-to-decision latency.
/// </summary>
public sealed class EngineEvaluator(IEngineProbe probe, TimeProvider time)
{
    /// <param name="population">Every entity of every event sent (accepted or not).</param>
    /// <param name="settle">How long to wait for the engine to apply what it accepted.</param>
    public async Task<EngineEvaluation> EvaluateAsync(
        EventLedger ledger, GroundTruth truth, IReadOnlyCollection<EntityKey> population, DetectionOptions options, TimeSpan settle, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var rounds = 0;
        LedgerCheckResult check;
        while (true)
        {
            rounds++;
            check = LedgerCheck.Compare(ledger, await ObserveAsync(population, cancellationToken));
            if (check.Passed || check.ExtraApplications > 0 || time.GetElapsedTime(started) >= settle || rounds >= 120) break;
            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
        }

        var decisions = new List<DecisionInfo>();
        await foreach (var d in probe.GetDecisionsAsync(DateTimeOffset.MinValue, cancellationToken))
        {
            decisions.Add(d);
        }

        var detection = DetectionMetrics.Compute(truth, decisions, population, options);
        return new EngineEvaluation(check, detection, EventToDecision(decisions, ledger), decisions.Count, rounds);
    }

    /// <summary>
    /// From the moment the last triggering event was acknowledged to the moment the decision was published (wall clock).
    /// Decisions whose triggering events the ledger does not know (or with no publication time) are left out.
    /// </summary>
    public static LatencySummary? EventToDecision(IEnumerable<DecisionInfo> decisions, EventLedger ledger)
    {
        var histogram = new LongHistogram(3_600_000_000, 3);
        foreach (var d in decisions)
        {
            if (d.PublishedAt is not { } published) continue;
            var acks = d.TriggeringEventIds.Select(ledger.AcceptedAt).Where(a => a is not null).Select(a => a!.Value).ToList();
            if (acks.Count == 0) continue;
            histogram.RecordValue(Math.Clamp((long)(published - acks.Max()).TotalMicroseconds, 1, 3_600_000_000));
        }

        return histogram.TotalCount == 0 ? null : LatencySummary.Of(histogram);
    }

    private async Task<IReadOnlyDictionary<EntityKey, EntityCounters?>> ObserveAsync(IReadOnlyCollection<EntityKey> population, CancellationToken cancellationToken)
    {
        if (probe is IBulkEngineProbe bulk)
        {
            // Stored but never sent: it must have applied nothing.
            var all = await bulk.GetAllEntitiesAsync(cancellationToken);
            return population.Union(all.Keys).ToDictionary(e => e, e => all.GetValueOrDefault(e));
        }

        var observed = new System.Collections.Concurrent.ConcurrentDictionary<EntityKey, EntityCounters?>();
        await Parallel.ForEachAsync(population, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (entity, ct) =>
        {
            observed[entity] = await probe.GetEntityAsync(entity.Kind, entity.Id, ct);
        });
        return observed;
    }
}
