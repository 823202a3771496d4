using Integrity.Domain.Coverage;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.Replay;

namespace Integrity.Domain.Tests.Fixtures;

/// <summary>
/// The tests' name for the production orchestrator (<see cref="ReplayEngine"/>): routes events to the entities they
/// touch and propagates facts between them, single-threaded. Kept so scenario tests read as before and chain fluently.
/// A scenario is a marketplace that sends every kind of evidence (every source declared sent) unless it says otherwise:
/// its signals do not depend on which other scenario ran first.
/// </summary>
public sealed class InMemoryMarketplace(PolicyOptions? policy = null, EvidenceCoverage? coverage = null) : ReplayEngine(policy, coverage ?? EvidenceCoverage.AllSent())
{
    public new InMemoryMarketplace ApplyAll(IEnumerable<IntegrityEvent> events)
    {
        base.ApplyAll(events);
        return this;
    }
}
