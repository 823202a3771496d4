using System.Text;
using Integrity.Contracts;
using Integrity.Contracts.Services;
using Integrity.Domain.Webhooks;
using Integrity.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrity.Grains.Webhooks;

/// <summary>
/// Delivers one endpoint's queue, the only one in the cluster that does (one activation per endpoint id). A round reads
/// the oldest queued deliveries, sends each entity's first one that is due (entities in parallel, one entity's in
/// order), and stores the outcomes: delivered, retried later with backoff and jitter, or failed for good after the
/// retry period. Woken by every enqueue (one-way) and by a reminder, so a queue outlives this activation, its silo and
/// a restart. An endpoint whose every attempt has failed for <see cref="WebhookOptions.PauseAfter"/> is paused until an
/// analyst resumes it (its queue keeps growing meanwhile, and nothing expires while nothing is tried); that pause is
/// audited like an analyst's. A deleted endpoint's outbox is removed here, between rounds.
/// </summary>
public sealed partial class WebhookEndpointGrain(
    IWebhookOutbox outbox,
    WebhookEndpointDirectory endpoints,
    IWebhookSender sender,
    WebhookAudit audit,
    IntegrityMetrics metrics,
    IOptions<WebhookOptions> options,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider time,
    ILogger<WebhookEndpointGrain> logger) : Grain, IWebhookEndpointGrain, IRemindable
{
    public const string DeliveryIdHeader = "Integrity-Delivery-Id";
    public const string AttemptHeader = "Integrity-Delivery-Attempt";
    private const string ReminderName = "webhook-delivery";

    /// <summary>How long one turn delivers before it lets other calls in (and goes on in the next).</summary>
    private static readonly TimeSpan TurnBudget = TimeSpan.FromSeconds(20);

    private IGrainTimer? _timer;
    private DateTimeOffset? _timerDue;
    /// <summary>Since when every attempt has failed (null: the last one succeeded).</summary>
    private DateTimeOffset? _failingSince;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The reminder takes the queue up again wherever and whenever this activation is gone; it ticks at the
        // cluster's shortest period (a round finds nothing due and costs one read).
        var period = reminderOptions.Value.MinimumReminderPeriod > TimeSpan.FromSeconds(1) ? reminderOptions.Value.MinimumReminderPeriod : TimeSpan.FromSeconds(1);
        await this.RegisterOrUpdateReminder(ReminderName, period, period);
        Schedule(TimeSpan.Zero);
    }

    public Task WakeAsync()
    {
        Schedule(TimeSpan.Zero);
        return Task.CompletedTask;
    }

    public async Task DeletedAsync()
    {
        if (await endpoints.FindAsync(Id) is null)
        {
            await ForgetAsync(CancellationToken.None);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Another silo's activation reports this endpoint from now on.
        metrics.WebhookEndpointGone(Id);
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Schedule(TimeSpan.Zero);
        return Task.CompletedTask;
    }

    /// <summary>One timer, due at the earliest time anything asked for.</summary>
    private void Schedule(TimeSpan due)
    {
        due = due < TimeSpan.Zero ? TimeSpan.Zero : due;
        var at = time.GetUtcNow() + due;
        if (_timer is null)
        {
            _timer = this.RegisterGrainTimer(DeliverAsync, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
            _timerDue = at;
        }
        else if (_timerDue is null || at < _timerDue)
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
            _timerDue = at;
        }
    }

    private async Task DeliverAsync(CancellationToken cancellationToken)
    {
        _timerDue = null;
        var endpoint = await endpoints.FindAsync(Id, cancellationToken);
        if (endpoint is null)
        {
            // Deleted: nothing to deliver to any more (and rows a silo queued from its older copy of the endpoints go too).
            await ForgetAsync(cancellationToken);
            return;
        }

        metrics.WebhookEndpointPaused(Id, endpoint.Paused);
        if (endpoint.Paused || endpoint.Secret is null)
        {
            if (endpoint.Secret is null)
            {
                LogNoSecret(logger, Id);
            }

            return;
        }

        var started = time.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            var queued = await outbox.ReadAsync(Id, WebhookDeliveryStatus.Pending, options.Value.MaxQueueScan, cancellationToken);
            metrics.WebhookPending(Id, queued.Count);
            var now = time.GetUtcNow();
            var due = DeliveryOrder.DueHeads(queued, d => d.Entity, d => d.NextAttemptAt ?? DateTimeOffset.MinValue, now);
            if (due.Count == 0)
            {
                if (DeliveryOrder.NextDue(queued, d => d.Entity, d => d.NextAttemptAt ?? DateTimeOffset.MinValue) is { } next)
                {
                    Schedule(next - now);
                }

                return;
            }

            if (!await DeliverRoundAsync(endpoint, due, cancellationToken))
            {
                return;
            }

            if (time.GetElapsedTime(started) > TurnBudget)
            {
                Schedule(TimeSpan.Zero);
                return;
            }
        }
    }

    private async Task ForgetAsync(CancellationToken cancellationToken)
    {
        var removed = await outbox.DeleteEndpointAsync(Id, cancellationToken);
        if (removed > 0)
        {
            LogOutboxRemoved(logger, Id, removed);
        }

        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        metrics.WebhookEndpointGone(Id);
        DeactivateOnIdle();
    }

    /// <returns>False once the endpoint was paused.</returns>
    private async Task<bool> DeliverRoundAsync(WebhookEndpoint endpoint, IReadOnlyList<WebhookDelivery> due, CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var slots = new SemaphoreSlim(o.MaxParallelPerEndpoint);
        var outcomes = await Task.WhenAll(due.Select(async delivery =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                return (Delivery: delivery, Error: await SendAsync(endpoint, delivery, cancellationToken));
            }
            finally
            {
                slots.Release();
            }
        }));

        var now = time.GetUtcNow();
        var changes = new List<(WebhookDelivery, WebhookDeliveryStatus)>();
        int delivered = 0, retried = 0, failed = 0;
        foreach (var (delivery, error) in outcomes)
        {
            var attempts = delivery.Attempts + 1;
            if (error is null)
            {
                delivered++;
                metrics.WebhookDelivered(Id, (now - new DateTimeOffset(delivery.Order, TimeSpan.Zero)).TotalSeconds);
                _failingSince = null;
                changes.Add((delivery with { Status = WebhookDeliveryStatus.Delivered, Attempts = attempts, LastError = null, NextAttemptAt = null, CompletedAt = now }, WebhookDeliveryStatus.Pending));
                continue;
            }

            _failingSince ??= now;
            var next = WebhookBackoff.NextAttempt(delivery.EnqueuedAt, now, attempts, o.RetryPeriod, o.InitialBackoff, o.MaxBackoff, Random.Shared.NextDouble());
            if (next is null)
            {
                failed++;
                changes.Add((delivery with { Status = WebhookDeliveryStatus.Failed, Attempts = attempts, LastError = error, NextAttemptAt = null, CompletedAt = now }, WebhookDeliveryStatus.Pending));
            }
            else
            {
                retried++;
                changes.Add((delivery with { Attempts = attempts, LastError = error, NextAttemptAt = next }, WebhookDeliveryStatus.Pending));
            }
        }

        await outbox.SaveAsync(changes, cancellationToken);
        metrics.WebhookAttempts(Id, delivered, retried, failed);
        LogRound(logger, Id, delivered, retried, failed);
        if (_failingSince is { } since && now - since >= o.PauseAfter)
        {
            LogPaused(logger, Id, since);
            var reason = $"every attempt failed since {since:O} (Webhooks:PauseAfter {o.PauseAfter})";

            // Audited first: a pause whose audit row failed to write is tried again (the same row) next round.
            await audit.SystemPausedAsync(Id, since, reason, cancellationToken);
            await endpoints.SetPausedAsync(Id, true, WebhookAudit.System, reason, cancellationToken);
            metrics.WebhookEndpointPaused(Id, true);
            _failingSince = null;
            return false;
        }

        return true;
    }

    private Task<string?> SendAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        KeyValuePair<string, string>[] headers =
        [
            new(WebhookSignature.HeaderName, WebhookSignature.Sign(endpoint.Secret!, time.GetUtcNow(), body)),
            new(DeliveryIdHeader, delivery.DeliveryId),
            new(AttemptHeader, (delivery.Attempts + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
        return sender.SendAsync(endpoint.Url, headers, body, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook endpoint {Endpoint}: {Delivered} delivered, {Retried} to retry, {Failed} failed for good")]
    private static partial void LogRound(ILogger logger, string endpoint, int delivered, int retried, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {Endpoint} paused: every attempt failed since {Since}; an analyst resumes it")]
    private static partial void LogPaused(ILogger logger, string endpoint, DateTimeOffset since);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook endpoint {Endpoint} deleted: {Rows} rows of its outbox removed")]
    private static partial void LogOutboxRemoved(ILogger logger, string endpoint, int rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {Endpoint} has no usable secret (its sealing key changed?); nothing is sent")]
    private static partial void LogNoSecret(ILogger logger, string endpoint);
}
