namespace Integrity.Contracts.Services;

public enum WebhookDeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// One record queued for one endpoint. <see cref="Order"/> (the record's audit time in ticks) orders an endpoint's
/// queue; with <see cref="DeliveryId"/> it makes the row's key, so enqueueing the same batch again writes the same rows.
/// </summary>
public sealed record WebhookDelivery(
    string EndpointId,
    string DeliveryId,
    string EntityKind,
    string EntityId,
    long Order,
    string Body,
    DateTimeOffset EnqueuedAt,
    WebhookDeliveryStatus Status = WebhookDeliveryStatus.Pending,
    int Attempts = 0,
    DateTimeOffset? NextAttemptAt = null,
    string? LastError = null,
    DateTimeOffset? CompletedAt = null)
{
    public string Entity => EntityKind + "/" + EntityId;
}

/// <summary>
/// An endpoint as stored: registered through the API (with its definition and sealed secret), or configured (only its
/// pause state is stored). Never holds a secret in clear.
/// </summary>
public sealed record StoredWebhookEndpoint(
    string Id,
    bool Registered,
    string? Url,
    IReadOnlyList<string> EntityKinds,
    int MinimumStep,
    string? SealedSecret,
    DateTimeOffset CreatedAt,
    bool Paused = false,
    DateTimeOffset? PausedAt = null,
    string? PausedBy = null,
    string? PauseReason = null);

/// <summary>The durable outbox of webhook deliveries: one queue (table partition) per endpoint.</summary>
public interface IWebhookOutbox
{
    /// <summary>Writes pending deliveries (any endpoints), batched per endpoint; writing the same ones again changes nothing that matters.</summary>
    Task EnqueueAsync(IReadOnlyCollection<WebhookDelivery> deliveries, CancellationToken cancellationToken = default);

    /// <summary>An endpoint's deliveries in one status, oldest first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ReadAsync(string endpointId, WebhookDeliveryStatus status, int max, CancellationToken cancellationToken = default);

    /// <summary>Stores deliveries in their (new) status, moving each from the status it was in before.</summary>
    Task SaveAsync(IReadOnlyCollection<(WebhookDelivery Delivery, WebhookDeliveryStatus From)> changes, CancellationToken cancellationToken = default);

    /// <summary>Removes every row of an endpoint, whatever its status; returns how many were removed.</summary>
    Task<int> DeleteEndpointAsync(string endpointId, CancellationToken cancellationToken = default);
}

/// <summary>Registered endpoints and every endpoint's pause state.</summary>
public interface IWebhookEndpointStore
{
    Task<IReadOnlyList<StoredWebhookEndpoint>> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds an endpoint; false if one with its id exists.</summary>
    Task<bool> AddAsync(StoredWebhookEndpoint endpoint, CancellationToken cancellationToken = default);

    Task UpsertAsync(StoredWebhookEndpoint endpoint, CancellationToken cancellationToken = default);

    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);
}
