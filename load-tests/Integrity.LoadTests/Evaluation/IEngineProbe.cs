using Integrity.Harness.Ledger;
using Integrity.Harness.Market;

namespace Integrity.LoadTests.Evaluation;

/// <summary>
/// What the harness needs to read back from the engine to judge a run. The HTTP implementation over the engine's
/// query API is written when that API exists; tests use an in-memory probe built from known data.
/// </summary>
public interface IEngineProbe
{
    /// <summary>The entity's counters as stored, or null when the engine has never seen it.</summary>
    Task<EntityCounters?> GetEntityAsync(EntityKind kind, string id, CancellationToken cancellationToken);

    /// <summary>Every decision (automatic and analyst) whose event time is at or after <paramref name="since"/>.</summary>
    IAsyncEnumerable<DecisionInfo> GetDecisionsAsync(DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>
/// One enforcement step as the engine published it. <see cref="At"/> is event time (the entity's clock when it
/// decided); <see cref="PublishedAt"/> the wall-clock time it was published, for event-to-decision latency.
/// </summary>
public sealed record DecisionInfo(
    string DecisionId,
    EntityKind Kind,
    string EntityId,
    string Step,
    int Level,
    bool IsStepUp,
    DateTimeOffset At,
    IReadOnlyList<string> ReasonCodes,
    IReadOnlyList<string> TriggeringEventIds,
    DateTimeOffset? PublishedAt = null,
    string Origin = DecisionInfo.Automatic)
{
    public const string Automatic = "automatic";

    public EntityKey Entity => new(Kind, EntityId);
}

/// <summary>
/// A probe that can list every entity the engine has counters for in one read (e.g. one table scan), which the
/// evaluator then prefers to a request per entity. Entities it lists that the run never sent are checked as well
/// (they must have applied nothing).
/// </summary>
public interface IBulkEngineProbe : IEngineProbe
{
    Task<IReadOnlyDictionary<EntityKey, EntityCounters>> GetAllEntitiesAsync(CancellationToken cancellationToken);
}
