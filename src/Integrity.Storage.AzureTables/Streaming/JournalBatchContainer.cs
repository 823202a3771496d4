using Integrity.Contracts;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Integrity.Storage.AzureTables.Streaming;

/// <summary>One journal row on its partition's stream. The whole row is one stream item, so a consumer sees it at once.</summary>
[GenerateSerializer, Immutable, Alias("integrity.JournalBatchContainer")]
public sealed class JournalBatchContainer(StreamId streamId, JournalSlice slice) : IBatchContainer
{
    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    [Id(1)]
    public JournalSlice Slice { get; } = slice;

    public StreamSequenceToken SequenceToken => new EventSequenceTokenV2(Slice.Sequence);

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Slice is T item ? [Tuple.Create(item, SequenceToken)] : [];

    public bool ImportRequestContext() => false;
}
