namespace Integrity.Contracts.Audit;

/// <summary>An audit row with its place in the chain; <see cref="Link"/> is null for a row written before the chain existed.</summary>
public sealed record ChainedAuditRecord(AuditRecord Record, ChainLink? Link);

/// <summary>
/// An hourly digest row (AuditByTime, the partition of the hour): the entity's chain head as it stood after an append
/// of rows of that hour. It outlives the entity's own partition, so a trail deleted whole still shows.
/// </summary>
public sealed record AuditDigest(string Hour, string EntityKind, string EntityId, long Seq, string Hash);

/// <summary>Everything stored (or exported) about one entity's trail: its rows in any order, its chain head row, and its digests.</summary>
public sealed record AuditTrail(string EntityKind, string EntityId, IReadOnlyList<ChainedAuditRecord> Entries, ChainHead? Head, IReadOnlyList<AuditDigest> Digests);
