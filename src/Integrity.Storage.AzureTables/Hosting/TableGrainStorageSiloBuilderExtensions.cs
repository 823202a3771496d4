using Integrity.Storage.AzureTables.GrainStorage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;

namespace Orleans.Hosting;

/// <summary>Registers Integrity's Table-storage grain storage on a silo.</summary>
public static class TableGrainStorageSiloBuilderExtensions
{
    public static ISiloBuilder AddTableGrainStorageAsDefault(this ISiloBuilder builder, Action<OptionsBuilder<TableGrainStorageOptions>> configure) =>
        builder.AddTableGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    public static ISiloBuilder AddTableGrainStorage(this ISiloBuilder builder, string name, Action<OptionsBuilder<TableGrainStorageOptions>> configure)
    {
        builder.Services.AddTableGrainStorage(name, configure);
        return builder;
    }

    public static IServiceCollection AddTableGrainStorage(this IServiceCollection services, string name, Action<OptionsBuilder<TableGrainStorageOptions>> configure)
    {
        configure(services.AddOptions<TableGrainStorageOptions>(name));
        services.AddTransient<IConfigurationValidator>(sp =>
            new TableGrainStorageOptionsValidator(sp.GetRequiredService<IOptionsMonitor<TableGrainStorageOptions>>().Get(name), name));
        services.AddGrainStorage(name, static (sp, providerName) => new TableGrainStorage(
            providerName,
            sp.GetRequiredService<IOptionsMonitor<TableGrainStorageOptions>>().Get(providerName),
            sp.GetRequiredService<IOptions<ClusterOptions>>(),
            sp.GetRequiredService<ILogger<TableGrainStorage>>()));
        return services;
    }
}
