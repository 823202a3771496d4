using Integrity.Contracts;

namespace Integrity.Grains.Cluster;

/// <inheritdoc cref="IObserverRegistryGrain{TObserver}"/>
public sealed class ObserverRegistryGrain<TObserver>(TimeProvider time) : Grain, IObserverRegistryGrain<TObserver>
    where TObserver : IGrainObserver
{
    private readonly Dictionary<TObserver, DateTimeOffset> _observers = [];

    public Task RegisterAsync(TObserver observer, TimeSpan lease)
    {
        _observers[observer] = time.GetUtcNow() + lease;
        return Task.CompletedTask;
    }

    public Task UnregisterAsync(TObserver observer)
    {
        _observers.Remove(observer);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TObserver>> GetObserversAsync()
    {
        var now = time.GetUtcNow();
        foreach (var expired in _observers.Where(o => o.Value < now).Select(o => o.Key).ToList())
        {
            _observers.Remove(expired);
        }

        return Task.FromResult<IReadOnlyList<TObserver>>([.. _observers.Keys]);
    }
}
