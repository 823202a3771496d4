using Orleans.Storage;

namespace Integrity.Storage.AzureTables.GrainStorage;

/// <summary>
/// Orleans' official Azure Table grain storage with one change of layout: the RowKey names the grain as well as the
/// state (<c>{stateName}:{grainKey}</c>, e.g. <c>listing:L-17</c>) where the official provider writes the state name
/// alone (<c>listing</c>). The PartitionKey (<c>{ServiceId}_{grainId}</c>), the data columns and the serializer are the
/// official provider's own: every read and write still goes through it.
/// <para>
/// Why: Azurite (LokiJS) finds a row by its RowKey index first and then scans every row with that RowKey for the
/// PartitionKey. With the official layout all grains of a kind share one RowKey, so each activation's read and each
/// first write scanned every stored grain of its kind: at about 20k listings, LokiJS's scan was half of Azurite's busy
/// time, and it grows with the table (docs/benchmarks/race-2026-12-03.md). Azure Table storage finds a row by both keys
/// at once, so there the layout costs and saves nothing.
/// </para>
/// </summary>
public sealed class GrainKeyedRowStorage(IGrainStorage official) : IGrainStorage
{
    /// <summary>The state name as the row key: unique per grain, and all of one state in one RowKey range.</summary>
    public static string RowName(string stateName, GrainId grainId) => $"{stateName}{Separator}{grainId.Key}";

    /// <summary>Between the state name and the grain key in a RowKey.</summary>
    public const char Separator = ':';

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        official.ReadStateAsync(RowName(stateName, grainId), grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        official.WriteStateAsync(RowName(stateName, grainId), grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        official.ClearStateAsync(RowName(stateName, grainId), grainId, grainState);
}
