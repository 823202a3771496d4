using Orleans.Concurrency;

namespace Integrity.Contracts;

/// <summary>
/// A silo's live decision feed: audited decisions are pushed to it by whichever silo made them (each silo's feed is
/// listed by <see cref="IObserverRegistryGrain{TObserver}"/>).
/// </summary>
public interface IDecisionObserver : IGrainObserver
{
    [OneWay]
    Task OnDecisionsAsync(IReadOnlyList<AuditRecord> records);
}

