using Integrity.Harness.Market;

namespace Integrity.Harness.Ledger;

/// <summary>
/// How many distinct events an entity has applied. <see cref="AppliedEventIds"/> is optional: when the engine can
/// list them, the ledger check names the missing and unexpected events instead of only counting them.
/// </summary>
public sealed record EntityCounters(EntityKind Kind, string Id, long EventsApplied, IReadOnlyCollection<string>? AppliedEventIds = null);
