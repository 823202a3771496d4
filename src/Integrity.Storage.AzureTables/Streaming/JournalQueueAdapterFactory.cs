using Integrity.Contracts.Services;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Integrity.Storage.AzureTables.Streaming;

/// <summary>Builds the pieces of the journal stream provider for Orleans' pulling agents.</summary>
public sealed class JournalQueueAdapterFactory(
    string name,
    IJournalSource journal,
    IJournalCheckpointStore checkpoints,
    JournalStreamOptions options,
    JournalWakeSignals wakeSignals,
    TimeProvider time,
    ILoggerFactory loggerFactory) : IQueueAdapterFactory
{
    private readonly JournalQueueMapper _mapper = new(name, journal.PartitionCount);
    private readonly SimpleQueueAdapterCache _cache = new(new SimpleQueueCacheOptions { CacheSize = options.CacheSize }, name, loggerFactory);

    public Task<IQueueAdapter> CreateAdapter() =>
        Task.FromResult<IQueueAdapter>(new JournalQueueAdapter(name, journal, checkpoints, options, wakeSignals, time, loggerFactory));

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    // Delivery failures are not skipped silently: the consumer grain retries its own dispatch and dead-letters poison events.
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler(false));
}
