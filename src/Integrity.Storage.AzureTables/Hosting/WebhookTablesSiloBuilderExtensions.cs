using Azure.Data.Tables;
using Integrity.Contracts.Services;
using Integrity.Storage.AzureTables.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Hosting;

/// <summary>The webhook outbox and endpoint tables on the engine's account, created at silo start.</summary>
public static class WebhookTablesSiloBuilderExtensions
{
    public static ISiloBuilder AddWebhookTables(this ISiloBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(sp => new WebhookOutboxTable(sp.GetRequiredService<TableServiceClient>()));
        services.AddSingleton<IWebhookOutbox>(sp => sp.GetRequiredService<WebhookOutboxTable>());
        services.AddSingleton(sp => new WebhookEndpointTable(sp.GetRequiredService<TableServiceClient>()));
        services.AddSingleton<IWebhookEndpointStore>(sp => sp.GetRequiredService<WebhookEndpointTable>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, WebhookTablesInitializer>();
        return builder;
    }

    private sealed class WebhookTablesInitializer(WebhookOutboxTable outbox, WebhookEndpointTable endpoints) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(WebhookTablesInitializer), ServiceLifecycleStage.ApplicationServices, async cancellationToken =>
            {
                await outbox.CreateIfNotExistsAsync(cancellationToken);
                await endpoints.CreateIfNotExistsAsync(cancellationToken);
            });
    }
}
