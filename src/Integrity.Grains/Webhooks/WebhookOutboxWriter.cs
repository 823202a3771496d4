using Integrity.Contracts;
using Integrity.Contracts.Services;

namespace Integrity.Grains.Webhooks;

/// <summary>
/// Queues every audited decision and analyst action for each endpoint that wants it, in the durable outbox, as soon as
/// the audit append has succeeded (the decision sink calls it before it counts the batch as written, so a checkpoint
/// never passes a decision not yet queued), then wakes each endpoint's deliverer. Paused endpoints are queued for too:
/// they get everything once resumed.
/// </summary>
public sealed class WebhookOutboxWriter(WebhookEndpointDirectory endpoints, IWebhookOutbox outbox, IGrainFactory grains, TimeProvider time) : IAuditSubscriber
{
    public async Task AuditedAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        var all = await endpoints.CachedAsync(cancellationToken);
        if (all.Count == 0 || records.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var deliveries = new List<WebhookDelivery>();
        foreach (var record in records.Where(r => r.Kind is "decision" or "action" or "note"))
        {
            var level = record.Kind == "note" ? null : WebhookPayload.Level(record);
            string? body = null;
            foreach (var endpoint in all.Where(e => e.Wants(record.EntityKind, record.Kind, level)))
            {
                body ??= WebhookPayload.Body(record);
                deliveries.Add(new WebhookDelivery(endpoint.Id, record.EntryId, record.EntityKind, record.EntityId, record.RecordedAt.UtcTicks, body, now));
            }
        }

        if (deliveries.Count == 0)
        {
            return;
        }

        await outbox.EnqueueAsync(deliveries, cancellationToken);
        foreach (var endpoint in deliveries.Select(d => d.EndpointId).Distinct(StringComparer.Ordinal))
        {
            await grains.GetGrain<IWebhookEndpointGrain>(endpoint).WakeAsync();
        }
    }
}
