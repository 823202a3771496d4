using Orleans.Concurrency;

namespace Integrity.Contracts;

/// <summary>
/// What the journal consumer needs of every entity grain: apply work (idempotent by event id) and write the
/// state durably on request, so the consumer may move its checkpoint past the events the state covers.
/// </summary>
public interface IEntityGrain : IGrainWithStringKey
{
    Task<WorkResult> ApplyAsync(EntityWork work);

    /// <summary>
    /// Writes the state if anything changed since the last write; completes when it is durable, with the journal rows
    /// the stored state covers (which a checkpoint must not pass). Interleaves with work, so a checkpoint's writes do
    /// not stall delivery (the grain keeps one write under way at a time).
    /// </summary>
    [AlwaysInterleave]
    Task<JournalCoverage> FlushAsync();

    /// <summary>The entity as an analyst sees it. Read-only, so it interleaves with work.</summary>
    [AlwaysInterleave]
    Task<EntityView> GetViewAsync();

    /// <summary>An analyst's confirm, reverse, reinstate, override or note; durable and audited before it returns.</summary>
    Task<EntityView> ActAsync(AnalystCommand command);
}

/// <summary>One journal partition's consumer: routes each row's events to entity grains, in order, and checkpoints.</summary>
public interface IPartitionConsumerGrain : IGrainWithStringKey
{
    /// <summary>Highest sequence dispatched, highest durably checkpointed, and whether the checkpoint timer rests (nothing awaits a checkpoint).</summary>
    Task<ConsumerProgress> GetProgressAsync();

    /// <summary>
    /// Runs a checkpoint now instead of at the next tick (an operator's drain before maintenance): the touched grains
    /// are written and the checkpoint moves if their stored state holds their rows; otherwise the rows are replayed.
    /// </summary>
    Task<ConsumerProgress> CheckpointNowAsync();
}

[GenerateSerializer, Immutable, Alias("integrity.ConsumerProgress")]
public sealed record ConsumerProgress(
    [property: Id(0)] int Partition,
    [property: Id(1)] long Dispatched,
    [property: Id(2)] long Checkpointed,
    [property: Id(3)] long EventsApplied,
    [property: Id(4)] long Duplicates,
    [property: Id(5)] long Rejected,
    [property: Id(6)] string Silo = "",
    [property: Id(7)] bool CheckpointTimerResting = false);
