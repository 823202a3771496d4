using Integrity.Contracts;
using Integrity.Contracts.Audit;
using Integrity.Contracts.Services;

namespace Integrity.Storage.AzureTables.Index;

/// <summary>
/// The audit log with the query index kept beside it: every batch the decision sink appends is indexed right after
/// it is durable, in the same order. The one place the index is written. A failure surfaces to the sink, which
/// retries the whole batch; both writes are idempotent, so a retry leaves the same rows.
/// </summary>
public sealed class IndexingAuditLog(IAuditLog inner, QueryIndex index) : IAuditLog
{
    public async Task AppendAsync(IReadOnlyCollection<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        await inner.AppendAsync(records, cancellationToken);
        await index.ApplyAsync(records, cancellationToken);
    }

    public Task<IReadOnlyList<AuditRecord>> ReadEntityAsync(string kind, string id, DateTimeOffset? from = null, int max = 500, CancellationToken cancellationToken = default) =>
        inner.ReadEntityAsync(kind, id, from, max, cancellationToken);

    public Task<IReadOnlyList<AuditRecord>> ReadRangeAsync(DateTimeOffset from, DateTimeOffset to, int max = 500, CancellationToken cancellationToken = default) =>
        inner.ReadRangeAsync(from, to, max, cancellationToken);

    public Task<AuditTrail> ReadTrailAsync(string kind, string id, bool withDigests = true, CancellationToken cancellationToken = default) =>
        inner.ReadTrailAsync(kind, id, withDigests, cancellationToken);

    public Task<IReadOnlyList<AuditDigest>> ReadDigestsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        inner.ReadDigestsAsync(from, to, cancellationToken);
}
