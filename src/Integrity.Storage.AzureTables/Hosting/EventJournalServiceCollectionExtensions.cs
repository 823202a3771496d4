using Integrity.Contracts.Services;
using Integrity.Storage.AzureTables.DeadLetters;
using Integrity.Storage.AzureTables.Journal;
using Integrity.Storage.AzureTables.Streaming;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the durable event journal and the dead-letter table, and creates their tables at start.</summary>
public static class EventJournalServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TableEventJournal"/> (as itself, <see cref="IEventJournal"/> and the stream provider's
    /// <see cref="IJournalSource"/>) and <see cref="DeadLetterTable"/> (as itself and <see cref="IDeadLetterSink"/>), on
    /// the <see cref="TableEventJournalOptions"/> the caller binds and validates. A second call adds nothing (ingest and
    /// the silo both need the journal).
    /// </summary>
    public static IServiceCollection AddEventJournal(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(TableEventJournal)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JournalWakeSignals>();
        services.AddSingleton(sp => new TableEventJournal(
            sp.GetRequiredService<IOptions<TableEventJournalOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TableEventJournal>>(),
            sp.GetRequiredService<JournalWakeSignals>()));
        services.AddSingleton<IEventJournal>(sp => sp.GetRequiredService<TableEventJournal>());
        services.TryAddSingleton<IJournalSource>(sp => sp.GetRequiredService<TableEventJournal>());
        services.TryAddSingleton<IJournalRows>(sp => sp.GetRequiredService<IJournalSource>());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TableEventJournalOptions>>().Value;
            return new DeadLetterTable(options.CreateServiceClient(), options.DeadLetterTableName);
        });
        services.TryAddSingleton<IDeadLetterSink>(sp => sp.GetRequiredService<DeadLetterTable>());
        services.AddHostedService<JournalTablesInitializer>();
        return services;
    }

    /// <summary>
    /// Creates the journal and dead-letter tables before the host serves requests. It resolves them only when it starts,
    /// so invalid options are reported by the host's start-time validation, all at once, not by its construction.
    /// </summary>
    private sealed class JournalTablesInitializer(IServiceProvider services) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await services.GetRequiredService<TableEventJournal>().CreateIfNotExistsAsync(cancellationToken);
            await services.GetRequiredService<DeadLetterTable>().CreateIfNotExistsAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
