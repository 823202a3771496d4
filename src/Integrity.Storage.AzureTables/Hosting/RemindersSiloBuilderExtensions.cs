using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Hosting;

/// <summary>
/// Durable timers: Orleans reminders in Azure Table storage (Microsoft.Orleans.Reminders.AzureStorage), the one place
/// the engine chooses where they are kept. An entity grain's override expiry is one: it fires at the override's
/// <c>until</c> whether or not the grain is in memory then, and on a surviving silo when the one that held it died.
/// </summary>
public static class RemindersSiloBuilderExtensions
{
    public const string DefaultTableName = "IntegrityReminders";

    /// <summary>Configuration section bound to Orleans' <see cref="ReminderOptions"/>.</summary>
    public const string Section = "Reminders";

    /// <param name="client">The Table client of the account reminders live on (the grain-state account's).</param>
    /// <param name="tableName">The reminder table.</param>
    /// <param name="configure">
    /// Reminder options after the <see cref="Section"/> section is bound (tests lower
    /// <see cref="ReminderOptions.MinimumReminderPeriod"/>); Orleans validates them when the silo starts.
    /// </param>
    public static ISiloBuilder AddIntegrityReminders(
        this ISiloBuilder builder,
        Func<IServiceProvider, TableServiceClient> client,
        string tableName = DefaultTableName,
        Action<ReminderOptions>? configure = null)
    {
        builder.UseAzureTableReminderService(o => o.Configure<IServiceProvider>((table, sp) =>
        {
            table.TableServiceClient = client(sp);
            table.TableName = tableName;
        }));
        var options = builder.Services.AddOptions<ReminderOptions>().Bind(builder.Configuration.GetSection(Section));
        if (configure is not null)
        {
            options.PostConfigure(configure);
        }

        return builder;
    }
}
