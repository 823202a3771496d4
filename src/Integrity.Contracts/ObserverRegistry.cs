using Orleans.Concurrency;

namespace Integrity.Contracts;

/// <summary>
/// The cluster's list of one kind of silo-wide observer (one grain per observer kind, key <see cref="ObserverRegistry.Key"/>).
/// Each silo's observer renews its lease every few seconds; publishers read the list and call each observer directly,
/// so a message crosses at most one hop and no queue that a silo's death could take with it. In memory only: if its
/// silo dies, it starts empty elsewhere and the next renewals fill it again.
/// </summary>
public interface IObserverRegistryGrain<TObserver> : IGrainWithStringKey
    where TObserver : IGrainObserver
{
    /// <summary>Adds or renews an observer for <paramref name="lease"/>.</summary>
    Task RegisterAsync(TObserver observer, TimeSpan lease);

    Task UnregisterAsync(TObserver observer);

    [AlwaysInterleave]
    Task<IReadOnlyList<TObserver>> GetObserversAsync();
}

public static class ObserverRegistry
{
    public const string Key = "all";

    /// <summary>The registry of <typeparamref name="TObserver"/>s.</summary>
    public static IObserverRegistryGrain<TObserver> Of<TObserver>(IGrainFactory grains)
        where TObserver : IGrainObserver =>
        grains.GetGrain<IObserverRegistryGrain<TObserver>>(Key);
}

/// <summary>A silo's readers of journal partitions: another silo that appended to a partition wakes its reader.</summary>
public interface IJournalWakeObserver : IGrainObserver
{
    [OneWay]
    Task WakeAsync(int[] partitions);
}
