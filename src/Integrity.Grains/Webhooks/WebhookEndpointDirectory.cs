using Integrity.Contracts.Services;
using Integrity.Domain.Webhooks;
using Microsoft.Extensions.Options;

namespace Integrity.Grains.Webhooks;

/// <summary>
/// Every endpoint of the cluster: those configured (the same on every silo) and those registered through the API,
/// each with its stored pause state. Queueing reads a copy at most <see cref="WebhookOptions.EndpointRefreshInterval"/>
/// old; deliverers and the API read storage. Registered secrets are sealed with AES-GCM under
/// <see cref="WebhookSecretKey"/> and opened only here.
/// </summary>
public sealed class WebhookEndpointDirectory(IWebhookEndpointStore store, IOptions<WebhookOptions> options, WebhookSecretKey secretKey, TimeProvider time)
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot? _cached;

    private sealed record Snapshot(IReadOnlyList<WebhookEndpoint> Endpoints, long ReadAt);

    /// <summary>Endpoints as of at most the refresh interval ago.</summary>
    public async Task<IReadOnlyList<WebhookEndpoint>> CachedAsync(CancellationToken cancellationToken = default)
    {
        var cached = _cached;
        if (cached is not null && time.GetElapsedTime(cached.ReadAt) < options.Value.EndpointRefreshInterval)
        {
            return cached.Endpoints;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            cached = _cached;
            return cached is not null && time.GetElapsedTime(cached.ReadAt) < options.Value.EndpointRefreshInterval
                ? cached.Endpoints
                : await ReadAsync(cancellationToken);
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Endpoints as stored now (and the cache refreshed with them).</summary>
    public async Task<IReadOnlyList<WebhookEndpoint>> ReadAsync(CancellationToken cancellationToken = default)
    {
        var stored = (await store.ReadAllAsync(cancellationToken)).ToDictionary(s => s.Id, StringComparer.Ordinal);
        var endpoints = new List<WebhookEndpoint>();
        foreach (var c in options.Value.Endpoints)
        {
            stored.TryGetValue(c.Id!, out var state);
            endpoints.Add(new WebhookEndpoint(c.Id!, WebhookEndpoint.FromConfiguration, new Uri(c.Url!), [.. c.EntityKinds], c.MinimumStep, c.Secret, null,
                state?.Paused ?? false, state?.PausedAt, state?.PausedBy, state?.PauseReason));
        }

        foreach (var s in stored.Values.Where(s => s.Registered && options.Value.Endpoints.All(c => c.Id != s.Id)).OrderBy(s => s.Id, StringComparer.Ordinal))
        {
            var secret = secretKey.Key is { } key && s.SealedSecret is { } sealedSecret ? SecretBox.Open(key, sealedSecret, s.Id) : null;
            endpoints.Add(new WebhookEndpoint(s.Id, WebhookEndpoint.FromApi, new Uri(s.Url!), s.EntityKinds, s.MinimumStep, secret, s.CreatedAt,
                s.Paused, s.PausedAt, s.PausedBy, s.PauseReason));
        }

        _cached = new Snapshot(endpoints, time.GetTimestamp());
        return endpoints;
    }

    public async Task<WebhookEndpoint?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        (await ReadAsync(cancellationToken)).FirstOrDefault(e => e.Id == id);

    /// <summary>Registers an endpoint; false if the id is taken (configured or registered).</summary>
    public async Task<bool> RegisterAsync(string id, string url, IReadOnlyList<string> entityKinds, int minimumStep, string secret, CancellationToken cancellationToken = default)
    {
        if (secretKey.Key is not { } key)
        {
            throw new InvalidOperationException("No key to seal webhook secrets with (Security:IdentifierHashKey).");
        }

        if (options.Value.Endpoints.Any(c => c.Id == id))
        {
            return false;
        }

        var added = await store.AddAsync(new StoredWebhookEndpoint(id, true, url, entityKinds, minimumStep, SecretBox.Seal(key, secret, id), time.GetUtcNow()), cancellationToken);
        await ReadAsync(cancellationToken);
        return added;
    }

    /// <summary>
    /// Removes a registered endpoint (configured ones stay: they belong to the deployment). Its outbox is its deliverer's
    /// to remove (<see cref="Contracts.IWebhookEndpointGrain.DeletedAsync"/>).
    /// </summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        var stored = (await store.ReadAllAsync(cancellationToken)).FirstOrDefault(s => s.Id == id && s.Registered);
        if (stored is null)
        {
            return false;
        }

        await store.DeleteAsync(id, cancellationToken);
        await ReadAsync(cancellationToken);
        return true;
    }

    /// <summary>Pauses or resumes an endpoint; false if there is no such endpoint.</summary>
    public async Task<bool> SetPausedAsync(string id, bool paused, string by, string? reason, CancellationToken cancellationToken = default)
    {
        var stored = (await store.ReadAllAsync(cancellationToken)).FirstOrDefault(s => s.Id == id);
        var configured = options.Value.Endpoints.FirstOrDefault(c => c.Id == id);
        if (stored is null && configured is null)
        {
            return false;
        }

        var row = stored ?? new StoredWebhookEndpoint(id, false, null, [], 0, null, time.GetUtcNow());
        await store.UpsertAsync(paused
            ? row with { Paused = true, PausedAt = time.GetUtcNow(), PausedBy = by, PauseReason = reason }
            : row with { Paused = false, PausedAt = null, PausedBy = null, PauseReason = null }, cancellationToken);
        await ReadAsync(cancellationToken);
        return true;
    }
}
