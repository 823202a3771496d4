using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.Replay;

namespace Integrity.Domain.Tests.Fixtures;

/// <summary>
/// The tests' name for the production orchestrator (<see cref="ReplayEngine"/>): routes events to the entities they
/// touch and propagates facts between them, single-threaded. Kept so scenario tests read as before and chain fluently.
/// </summary>
public sealed class InMemoryMarketplace(PolicyOptions? policy = null) : ReplayEngine(policy)
{
    public new InMemoryMarketplace ApplyAll(IEnumerable<IntegrityEvent> events)
    {
        base.ApplyAll(events);
        return this;
    }
}
