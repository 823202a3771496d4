using Integrity.Contracts;
using Integrity.Grains.Consumers;
using Integrity.Grains.Decisions;
using Integrity.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Serialization;

namespace Orleans.Hosting;

/// <summary>The grain side of the engine: consumers, entity grains' services, the decision sink and its live feeds.</summary>
public static class IntegrityGrainsSiloBuilderExtensions
{
    public static ISiloBuilder AddIntegrityGrains(this ISiloBuilder builder, Action<PartitionConsumerOptions>? configureConsumers = null)
    {
        var services = builder.Services;
        services.AddSerializer(s => s.AddIntegrityDomainTypes());
        services.AddOptions<PartitionConsumerOptions>()
            .Configure(o => configureConsumers?.Invoke(o))
            .Validate(o => !o.Validate().Any(), "PartitionConsumer options are invalid")
            .ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton<IntegrityMetrics>();
        services.AddSingleton<AuditingDecisionSink>();
        services.AddSingleton<IDecisionSink>(sp => sp.GetRequiredService<AuditingDecisionSink>());
        services.AddHostedService(sp => sp.GetRequiredService<AuditingDecisionSink>());
        services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
