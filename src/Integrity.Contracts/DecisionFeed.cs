using Orleans.Concurrency;

namespace Integrity.Contracts;

/// <summary>A silo's live decision feed: audited decisions are pushed to it by whichever silo made them.</summary>
public interface IDecisionObserver : IGrainObserver
{
    [OneWay]
    Task OnDecisionsAsync(IReadOnlyList<AuditRecord> records);
}

/// <summary>
/// The cluster's list of live feeds (one grain, key <see cref="Key"/>). Feeds renew their lease every few seconds;
/// publishers read the list and push to each feed directly, so a decision crosses at most one hop and no queue that a
/// silo's death could take with it.
/// </summary>
public interface IDecisionFeedRegistryGrain : IGrainWithStringKey
{
    public const string Key = "all";

    /// <summary>Adds or renews a feed for <paramref name="lease"/>.</summary>
    Task RegisterAsync(IDecisionObserver feed, TimeSpan lease);

    Task UnregisterAsync(IDecisionObserver feed);

    [AlwaysInterleave]
    Task<IReadOnlyList<IDecisionObserver>> GetFeedsAsync();
}
