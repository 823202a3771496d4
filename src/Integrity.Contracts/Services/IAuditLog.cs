using Integrity.Contracts.Audit;

namespace Integrity.Contracts.Services;

/// <summary>The append-only audit trail (Azure Table storage in production).</summary>
public interface IAuditLog
{
    /// <summary>Appends durably; appending the same entry id again replaces it with the same content.</summary>
    Task AppendAsync(IReadOnlyCollection<AuditRecord> records, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuditRecord>> ReadEntityAsync(string kind, string id, DateTimeOffset? from = null, int max = 500, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuditRecord>> ReadRangeAsync(DateTimeOffset from, DateTimeOffset to, int max = 500, CancellationToken cancellationToken = default);

    /// <summary>The entity's whole trail with its chain: every row, the chain head and (unless not wanted) every digest naming it.</summary>
    Task<AuditTrail> ReadTrailAsync(string kind, string id, bool withDigests = true, CancellationToken cancellationToken = default);

    /// <summary>Every hourly digest row of the hours that [from, to) touches.</summary>
    Task<IReadOnlyList<AuditDigest>> ReadDigestsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
