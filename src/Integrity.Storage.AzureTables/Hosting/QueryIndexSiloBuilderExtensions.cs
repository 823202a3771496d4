using Azure.Data.Tables;
using Integrity.Contracts.Services;
using Integrity.Storage.AzureTables.Audit;
using Integrity.Storage.AzureTables.Index;
using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Hosting;

/// <summary>
/// The query index (top risk, open cases, decisions by time and kind), written from the audit records as they are
/// appended: call after <see cref="EngineTablesSiloBuilderExtensions.AddEngineTables"/>; it wraps that audit log.
/// </summary>
public static class QueryIndexSiloBuilderExtensions
{
    public static ISiloBuilder AddQueryIndex(this ISiloBuilder builder, string tablePrefix = "Index")
    {
        var services = builder.Services;
        services.AddSingleton(sp => new QueryIndex(sp.GetRequiredService<TableServiceClient>(), tablePrefix));
        services.AddSingleton<IAuditLog>(sp => new IndexingAuditLog(sp.GetRequiredService<AuditTable>(), sp.GetRequiredService<QueryIndex>()));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, QueryIndexInitializer>();
        return builder;
    }

    private sealed class QueryIndexInitializer(QueryIndex index) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(QueryIndexInitializer), ServiceLifecycleStage.ApplicationServices, index.CreateIfNotExistsAsync);
    }
}
