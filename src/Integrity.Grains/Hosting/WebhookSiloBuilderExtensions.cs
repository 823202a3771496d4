using Integrity.Contracts.Services;
using Integrity.Grains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Orleans.Hosting;

/// <summary>
/// Outbound webhooks on the grain side: the endpoint directory, the outbox writer the decision sink tells of every
/// audited batch, and the start-up wake of the deliverers. The caller registers <see cref="WebhookOptions"/>, the
/// <see cref="WebhookSecretKey"/>, an <see cref="IWebhookSender"/>, the <see cref="WebhookAudit"/> and the outbox and
/// endpoint stores.
/// </summary>
public static class WebhookSiloBuilderExtensions
{
    public static ISiloBuilder AddIntegrityWebhooks(this ISiloBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WebhookEndpointDirectory>();
        services.AddSingleton<WebhookOutboxWriter>();
        services.AddSingleton<IAuditSubscriber>(sp => sp.GetRequiredService<WebhookOutboxWriter>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, WebhookStartup>();
        return builder;
    }
}
