using Integrity.Contracts;
using Integrity.Domain.Coverage;

namespace Integrity.Grains.Policy;

/// <summary>
/// The deployment's evidence statistics, summed from every silo's deltas. Written when a delta brings counts (at most
/// once per silo per refresh interval), so a restarted cluster still knows what the platform sends.
/// </summary>
// Immovable: its next activation reads the stored row, never in-memory state handed over by a stopping silo.
[Orleans.Placement.Immovable]
public sealed class EvidenceCoverageGrain([PersistentState("evidence")] IPersistentState<EvidenceCoverageState> state) : Grain, IEvidenceCoverageGrain
{
    public async Task<EvidenceTally> AddAsync(EvidenceTally delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (delta.IsEmpty)
        {
            return state.State.Tally;
        }

        // A failed write leaves the total as it was: the silo keeps its delta and sends it again.
        var before = state.State.Tally;
        state.State.Tally = before.Plus(delta);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Tally = before;
            throw;
        }

        return state.State.Tally;
    }
}

public sealed class EvidenceCoverageState
{
    public int Version { get; set; } = 1;

    public EvidenceTally Tally { get; set; } = EvidenceTally.Empty;
}
