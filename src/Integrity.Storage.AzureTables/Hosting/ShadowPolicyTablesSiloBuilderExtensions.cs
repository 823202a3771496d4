using Azure.Data.Tables;
using Integrity.Contracts.Services;
using Integrity.Storage.AzureTables.Shadow;
using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Hosting;

/// <summary>The shadow policy's tables on the engine's account (its would-be decisions, the last promotion), created at silo start.</summary>
public static class ShadowPolicyTablesSiloBuilderExtensions
{
    public static ISiloBuilder AddShadowPolicyTables(this ISiloBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(sp => new ShadowDecisionTable(sp.GetRequiredService<TableServiceClient>()));
        services.AddSingleton<IShadowDecisionLog>(sp => sp.GetRequiredService<ShadowDecisionTable>());
        services.AddSingleton(sp => new PolicyPromotionTable(sp.GetRequiredService<TableServiceClient>()));
        services.AddSingleton<IPolicyPromotionStore>(sp => sp.GetRequiredService<PolicyPromotionTable>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ShadowPolicyTablesInitializer>();
        return builder;
    }

    private sealed class ShadowPolicyTablesInitializer(ShadowDecisionTable decisions, PolicyPromotionTable promotions) : ILifecycleParticipant<ISiloLifecycle>
    {
        // Before the application services: the policy provider reads the promotion there, before any event is consumed.
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(ShadowPolicyTablesInitializer), ServiceLifecycleStage.ApplicationServices - 1, async cancellationToken =>
            {
                await decisions.CreateIfNotExistsAsync(cancellationToken);
                await promotions.CreateIfNotExistsAsync(cancellationToken);
            });
    }
}
