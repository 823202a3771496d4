using System.Text.Json;
using Integrity.Contracts;
using Integrity.Contracts.Services;

namespace Integrity.Grains.Webhooks;

/// <summary>
/// The endpoints' own audit trail (entity kind <c>webhook</c>): pauses, resumes and replays, by an analyst or by the
/// deliverer itself. <paramref name="trail"/> is the audit table without the query index, so an endpoint's actions
/// never list among the entities' decisions.
/// </summary>
public sealed class WebhookAudit(IAuditLog trail, TimeProvider time)
{
    public const string EntityKind = "webhook";

    /// <summary>The actor (and origin) of what the deliverer does on its own.</summary>
    public const string System = "system";

    /// <summary>An analyst's pause, resume or replay (a fresh entry each time).</summary>
    public Task AnalystAsync(string endpointId, string action, string? step, string analyst, string? note, int? deliveries, CancellationToken cancellationToken) =>
        AppendAsync(endpointId, $"webhook/{action}/{Guid.NewGuid():N}", action, step, "analyst", analyst, note, deliveries, cancellationToken);

    /// <summary>
    /// The deliverer paused the endpoint after every attempt since <paramref name="failingSince"/> failed. The entry id
    /// is that time, so a pause retried after a failed write appends the same row, not a second one.
    /// </summary>
    public Task SystemPausedAsync(string endpointId, DateTimeOffset failingSince, string reason, CancellationToken cancellationToken) =>
        AppendAsync(endpointId, $"webhook/pause/system-{failingSince.UtcTicks}", "pause", "Paused", System, System, reason, null, cancellationToken);

    public Task<IReadOnlyList<AuditRecord>> ReadAsync(string endpointId, CancellationToken cancellationToken) =>
        trail.ReadEntityAsync(EntityKind, endpointId, null, 500, cancellationToken);

    private Task AppendAsync(string endpointId, string entryId, string action, string? step, string origin, string actor, string? note, int? deliveries, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var details = JsonSerializer.Serialize(new { action, origin, note, deliveries }, JsonSerializerOptions.Web);
        return trail.AppendAsync([new AuditRecord(EntityKind, endpointId, entryId, "action", now, now, step, null, null, actor, details)], cancellationToken);
    }
}
