using Orleans.Concurrency;

namespace Integrity.Contracts;

/// <summary>
/// The one deliverer of an endpoint's queue in the cluster (keyed by endpoint id): Orleans keeps one activation, so two
/// silos never send the same endpoint's deliveries at once. Woken by every enqueue and by a reminder, so a queue left
/// by a dead silo or a restart is taken up again.
/// </summary>
public interface IWebhookEndpointGrain : IGrainWithStringKey
{
    /// <summary>Something was queued, resumed or replayed: deliver what is due.</summary>
    [OneWay]
    Task WakeAsync();

    /// <summary>
    /// The endpoint was deleted: remove its outbox (queue, failed and delivered rows) and stop. Called through the
    /// deliverer so a delivery round under way finishes first and cannot write rows back after the removal.
    /// </summary>
    Task DeletedAsync();
}
