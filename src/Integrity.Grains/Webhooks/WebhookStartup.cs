using Integrity.Contracts;
using Microsoft.Extensions.Logging;

namespace Integrity.Grains.Webhooks;

/// <summary>
/// When a silo becomes active it wakes every endpoint's deliverer, so queues left by a restart are taken up at once
/// rather than at the next reminder tick (each deliverer is one activation in the cluster, wherever it lands).
/// </summary>
public sealed partial class WebhookStartup(WebhookEndpointDirectory endpoints, IGrainFactory grains, ILogger<WebhookStartup> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(WebhookStartup), ServiceLifecycleStage.Active, cancellationToken =>
        {
            _ = WakeAllAsync();
            return Task.CompletedTask;
        });

    private async Task WakeAllAsync()
    {
        try
        {
            foreach (var endpoint in await endpoints.ReadAsync())
            {
                await grains.GetGrain<IWebhookEndpointGrain>(endpoint.Id).WakeAsync();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The reminders take the queues up anyway.
            LogWakeFailed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking the webhook deliverers at start failed ({Error}); their reminders take the queues up")]
    private static partial void LogWakeFailed(ILogger logger, string error);
}
