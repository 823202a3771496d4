using Azure.Data.Tables;
using Integrity.Contracts.Services;
using Integrity.Storage.AzureTables.Audit;
using Integrity.Storage.AzureTables.Streaming;
using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Hosting;

/// <summary>The engine's own tables beside grain state: journal checkpoints and the audit trail, created at silo start.</summary>
public static class EngineTablesSiloBuilderExtensions
{
    public static ISiloBuilder AddEngineTables(this ISiloBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(sp => new JournalCheckpoints(sp.GetRequiredService<TableServiceClient>()));
        services.AddSingleton<IJournalCheckpointStore>(sp => sp.GetRequiredService<JournalCheckpoints>());
        services.AddSingleton(sp => new AuditTable(sp.GetRequiredService<TableServiceClient>()));
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<AuditTable>());
        services.AddSingleton(sp => new AuditOutcomes(sp.GetRequiredService<AuditTable>()));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, EngineTablesInitializer>();
        return builder;
    }

    private sealed class EngineTablesInitializer(JournalCheckpoints checkpoints, AuditTable audit) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(EngineTablesInitializer), ServiceLifecycleStage.ApplicationServices, async cancellationToken =>
            {
                await checkpoints.CreateIfNotExistsAsync(cancellationToken);
                await audit.CreateIfNotExistsAsync(cancellationToken);
            });
    }
}
