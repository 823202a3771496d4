using Integrity.Contracts;
using Integrity.Contracts.Services;
using Integrity.Storage.AzureTables.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Orleans.Hosting;

/// <summary>Registers the journal as an Orleans persistent stream provider (our own adapter over Azure Table storage).</summary>
public static class JournalStreamSiloBuilderExtensions
{
    public static ISiloBuilder AddJournalStreams(this ISiloBuilder builder, JournalStreamOptions options)
    {
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new OrleansConfigurationException("Journal stream options are invalid: " + string.Join("; ", problems));
        }

        builder.AddPersistentStreams(
            StreamNames.JournalProvider,
            (sp, name) => new JournalQueueAdapterFactory(
                name,
                sp.GetRequiredService<IJournalSource>(),
                sp.GetRequiredService<IJournalCheckpointStore>(),
                options,
                sp.GetRequiredService<ILoggerFactory>()),
            stream =>
            {
                stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
                stream.ConfigurePullingAgent(agent => agent.Configure(o =>
                {
                    o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(20);
                    o.BatchContainerBatchSize = 1;
                    // A row is never dropped for taking long: the consumer retries its own dispatch instead.
                    o.MaxEventDeliveryTime = TimeSpan.FromDays(365);
                }));
            });
        return builder;
    }
}
