using Integrity.Harness.Market;

namespace Integrity.LoadTests.Evaluation;

/// <summary>
/// What a run can be judged on: the entities of the events it sent that the engine keeps applied counters for
/// (sellers, listings, reviewers), and the ground truth of the incidents it reached. A run cut short by --events or
/// --duration sends a prefix of the stream in event-time order; culprits whose fraud starts after the last event
/// sent cannot be caught, so they are left out of recall (and said so).
/// </summary>
public sealed record EvaluationScope(IReadOnlyCollection<EntityKey> Population, GroundTruth Truth, int CulpritsNotReached, string Note)
{
    public static IReadOnlySet<EntityKind> CountedKinds => EntityKinds.Counted;

    /// <param name="sent">How many events of the stream (a prefix) were handed to the driver's workers.</param>
    public static EvaluationScope Of(IReadOnlyList<GeneratedEvent> events, int sent, GroundTruth truth)
    {
        var population = new HashSet<EntityKey>();
        for (var i = 0; i < sent; i++)
        {
            foreach (var entity in events[i].Touched)
            {
                if (CountedKinds.Contains(entity.Kind)) population.Add(entity);
            }
        }

        if (sent >= events.Count) return new EvaluationScope(population, truth, 0, "");

        var cutoff = sent == 0 ? DateTimeOffset.MinValue : events[sent - 1].OccurredAt;
        var reached = truth.Entries.Where(e => e.FirstFraudAt <= cutoff).ToList();
        var notReached = truth.Entries.Where(e => e.FirstFraudAt > cutoff && e.Role == GroundTruthRole.Culprit).Select(e => e.Key).Distinct().Count();
        return new EvaluationScope(population, truth with { Entries = reached }, notReached,
            $"; the run sent {sent:N0} of {events.Count:N0} events (up to event time {cutoff:yyyy-MM-dd HH:mm}Z), so {notReached} culprit(s) whose fraud starts later are left out of recall");
    }
}
