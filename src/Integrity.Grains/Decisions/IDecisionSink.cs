using Integrity.Contracts;

namespace Integrity.Grains.Decisions;

/// <summary>
/// Receives decisions and analyst actions from entity grains, appends them to the audit table in batches and
/// publishes them for live subscribers. <see cref="FlushAsync"/> completes once everything handed in is durable.
/// </summary>
public interface IDecisionSink
{
    void Publish(AuditRecord record);

    Task FlushAsync(CancellationToken cancellationToken = default);
}
