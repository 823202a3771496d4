using Azure.Data.Tables;
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

    /// <param name="client">The Table client of the account reminders live on (the grain-state account's).</param>
    /// <param name="tableName">The reminder table.</param>
    public static ISiloBuilder AddIntegrityReminders(
        this ISiloBuilder builder,
        Func<IServiceProvider, TableServiceClient> client,
        string tableName = DefaultTableName)
    {
        builder.UseAzureTableReminderService(o => o.Configure<IServiceProvider>((table, sp) =>
        {
            table.TableServiceClient = client(sp);
            table.TableName = tableName;
        }));
        return builder;
    }
}
