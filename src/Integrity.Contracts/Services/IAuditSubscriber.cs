namespace Integrity.Contracts.Services;

/// <summary>
/// Told of every batch of audit records once it is durably appended, before the decision sink counts it as written:
/// a failure makes the sink retry the whole batch (the append is idempotent), so a checkpoint never passes records a
/// subscriber has not taken. The webhook outbox is one.
/// </summary>
public interface IAuditSubscriber
{
    Task AuditedAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);
}
