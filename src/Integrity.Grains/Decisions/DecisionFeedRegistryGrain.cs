using Integrity.Contracts;

namespace Integrity.Grains.Decisions;

/// <summary>
/// In memory only: if its silo dies, it starts empty elsewhere and the feeds' next renewal fills it again; until then
/// publishers keep the list they last read.
/// </summary>
public sealed class DecisionFeedRegistryGrain(TimeProvider time) : Grain, IDecisionFeedRegistryGrain
{
    private readonly Dictionary<IDecisionObserver, DateTimeOffset> _feeds = [];

    public Task RegisterAsync(IDecisionObserver feed, TimeSpan lease)
    {
        _feeds[feed] = time.GetUtcNow() + lease;
        return Task.CompletedTask;
    }

    public Task UnregisterAsync(IDecisionObserver feed)
    {
        _feeds.Remove(feed);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<IDecisionObserver>> GetFeedsAsync()
    {
        var now = time.GetUtcNow();
        foreach (var expired in _feeds.Where(f => f.Value < now).Select(f => f.Key).ToList())
        {
            _feeds.Remove(expired);
        }

        return Task.FromResult<IReadOnlyList<IDecisionObserver>>([.. _feeds.Keys]);
    }
}
