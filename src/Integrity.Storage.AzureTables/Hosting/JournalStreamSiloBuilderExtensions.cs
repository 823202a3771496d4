using Integrity.Contracts;
using Integrity.Contracts.Services;
using Integrity.Storage.AzureTables.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace Orleans.Hosting;

/// <summary>Registers the journal as an Orleans persistent stream provider (our own adapter over Azure Table storage).</summary>
public static class JournalStreamSiloBuilderExtensions
{
    /// <summary>On the <see cref="JournalStreamOptions"/> the caller binds and validates.</summary>
    public static ISiloBuilder AddJournalStreams(this ISiloBuilder builder)
    {
        builder.AddPersistentStreams(
            StreamNames.JournalProvider,
            (sp, name) => new JournalQueueAdapterFactory(
                name,
                sp.GetRequiredService<IJournalSource>(),
                sp.GetRequiredService<IJournalCheckpointStore>(),
                sp.GetRequiredService<IOptions<JournalStreamOptions>>().Value,
                sp.GetRequiredService<JournalWakeSignals>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>()),
            stream =>
            {
                stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
                stream.ConfigurePullingAgent(agent => agent.Configure(o =>
                {
                    // A tick costs nothing while the partition's reader waits (JournalReadPacer); a woken reader reads on the next.
                    o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(20);
                    o.BatchContainerBatchSize = 1;
                    // A row is never dropped for taking long: the consumer retries its own dispatch instead.
                    o.MaxEventDeliveryTime = TimeSpan.FromDays(365);
                }));
            });
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new JournalReadersStopping(sp.GetRequiredService<JournalWakeSignals>()));
        return builder;
    }
}
