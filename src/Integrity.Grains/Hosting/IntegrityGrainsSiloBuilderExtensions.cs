using Integrity.Contracts;
using Integrity.Contracts.Services;
using Integrity.Grains.Cluster;
using Integrity.Grains.Consumers;
using Integrity.Grains.Decisions;
using Integrity.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Serialization;

namespace Orleans.Hosting;

/// <summary>
/// The grain side of the engine: consumers, entity grains' services, the decision sink and its live feeds; on the
/// <see cref="PartitionConsumerOptions"/> and policy provider the caller registers; the shadow policy's sink and
/// the watcher that brings promotions to this silo.
/// </summary>
public static class IntegrityGrainsSiloBuilderExtensions
{
    public static ISiloBuilder AddIntegrityGrains(this ISiloBuilder builder)
    {
        var services = builder.Services;
        services.AddSerializer(s => s.AddIntegrityDomainTypes());
        services.AddMetrics();
        services.TryAddSingleton<IntegrityMetrics>();
        services.AddSingleton<AuditingDecisionSink>();
        services.AddSingleton<IDecisionSink>(sp => sp.GetRequiredService<AuditingDecisionSink>());
        services.AddHostedService(sp => sp.GetRequiredService<AuditingDecisionSink>());
        services.AddSingleton<ShadowDecisionSink>();
        services.AddHostedService(sp => sp.GetRequiredService<ShadowDecisionSink>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Integrity.Grains.Policy.PolicyPromotionWatcher>();
        services.AddSingleton<Integrity.Grains.Policy.EvidenceCoverageTracker>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<Integrity.Grains.Policy.EvidenceCoverageTracker>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JournalWakeSignals>();
        services.AddHostedService<ClusterJournalWake>();
        return builder;
    }
}
