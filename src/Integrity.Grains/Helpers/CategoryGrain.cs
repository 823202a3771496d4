using Integrity.Contracts;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Microsoft.Extensions.Options;

namespace Integrity.Grains.Helpers;

/// <summary>
/// A category's streaming price medians. Written behind on a timer (statistics tolerate a few seconds of loss:
/// a replay re-observes, and the state's applied-event log keeps it from counting a listing twice).
/// </summary>
// Immovable: its next activation reads the stored row, never in-memory state handed over by a stopping silo.
[Orleans.Placement.Immovable]
public sealed class CategoryGrain([PersistentState("category")] IPersistentState<CategoryPriceStats> state, IOptions<Consumers.PartitionConsumerOptions> options)
    : Grain, ICategoryGrain
{
    private bool _dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!state.RecordExists)
        {
            state.State = CategoryPriceStats.Create(this.GetPrimaryKeyString());
        }

        var every = options.Value.CheckpointInterval;
        this.RegisterGrainTimer(WriteIfDirtyAsync, new GrainTimerCreationOptions(every, every));
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => WriteIfDirtyAsync(cancellationToken);

    public Task<IReadOnlyList<CategoryPriceSnapshot?>> ObserveAsync(IReadOnlyList<ListingEvent> listings)
    {
        var snapshots = new List<CategoryPriceSnapshot?>(listings.Count);
        foreach (var listing in listings)
        {
            var next = CategoryPriceStats.Observe(state.State, listing);
            if (!ReferenceEquals(next, state.State))
            {
                state.State = next;
                _dirty = true;
            }

            snapshots.Add(state.State.Snapshot(listing.Currency));
        }

        return Task.FromResult<IReadOnlyList<CategoryPriceSnapshot?>>(snapshots);
    }

    public Task<CategoryPriceSnapshot?> SnapshotAsync(string currency) => Task.FromResult(state.State.Snapshot(currency));

    private async Task WriteIfDirtyAsync(CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            _dirty = false;
            await state.WriteStateAsync(cancellationToken);
        }
    }
}
