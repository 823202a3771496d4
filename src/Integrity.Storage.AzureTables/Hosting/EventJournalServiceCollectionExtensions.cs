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
    /// <see cref="IJournalSource"/>) and <see cref="DeadLetterTable"/> (as itself and <see cref="IDeadLetterSink"/>).
    /// Options are validated at start.
    /// </summary>
    public static IServiceCollection AddEventJournal(this IServiceCollection services, Action<OptionsBuilder<TableEventJournalOptions>> configure)
    {
        configure(services.AddOptions<TableEventJournalOptions>()
            .Validate(o => !o.Validate().Any(), "Journal options are invalid")
            .ValidateOnStart());
        services.AddSingleton<IValidateOptions<TableEventJournalOptions>, JournalOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new TableEventJournal(
            sp.GetRequiredService<IOptions<TableEventJournalOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TableEventJournal>>()));
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

    /// <summary>Names every problem at once, so a misconfigured host fails to start with all of them.</summary>
    private sealed class JournalOptionsValidator : IValidateOptions<TableEventJournalOptions>
    {
        public ValidateOptionsResult Validate(string? name, TableEventJournalOptions options)
        {
            var problems = options.Validate().Select(p => "Journal: " + p).ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }

    /// <summary>Creates the journal and dead-letter tables before the host serves requests.</summary>
    private sealed class JournalTablesInitializer(TableEventJournal journal, DeadLetterTable deadLetters) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await journal.CreateIfNotExistsAsync(cancellationToken);
            await deadLetters.CreateIfNotExistsAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
