using Integrity.Contracts.Services;

namespace Integrity.Contracts.Audit;

/// <summary>The verdict on every entity that the hourly digests of a time range name.</summary>
public sealed record AuditRangeVerification(DateTimeOffset From, DateTimeOffset To, bool Intact, int Entities, int Tampered, bool Truncated, IReadOnlyList<AuditVerification> Failures);

/// <summary>Verifying the live audit tables: one entity, or every entity anchored in a range of hours.</summary>
public static class AuditLogVerification
{
    public static async Task<AuditVerification> VerifyEntityAsync(this IAuditLog audit, string kind, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return AuditChainVerifier.Verify(await audit.ReadTrailAsync(kind, id, withDigests: true, cancellationToken));
    }

    /// <summary>
    /// Each entity a digest of the hours in [from, to) names, checked against those digests: a trail deleted whole
    /// shows here, as the entity its digests name and the table no longer has. At most <paramref name="maxEntities"/>.
    /// </summary>
    public static async Task<AuditRangeVerification> VerifyRangeAsync(this IAuditLog audit, DateTimeOffset from, DateTimeOffset to, int maxEntities = 10_000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var digests = await audit.ReadDigestsAsync(from, to, cancellationToken);
        var entities = digests.GroupBy(d => (d.EntityKind, d.EntityId)).ToList();
        var failures = new List<AuditVerification>();
        foreach (var entity in entities.Take(maxEntities))
        {
            var trail = await audit.ReadTrailAsync(entity.Key.EntityKind, entity.Key.EntityId, withDigests: false, cancellationToken);
            var verdict = AuditChainVerifier.Verify(trail with { Digests = [.. entity] });
            if (!verdict.Intact)
            {
                failures.Add(verdict);
            }
        }

        return new AuditRangeVerification(from, to, failures.Count == 0, Math.Min(entities.Count, maxEntities), failures.Count, entities.Count > maxEntities, failures);
    }
}
