using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure.Data.Tables;

namespace Integrity.Storage.AzureTables.GrainStorage;

/// <summary>
/// An entity grain's applied-event counter as stored: its state name (<c>seller</c>, <c>listing</c> or
/// <c>reviewer</c>, the row key's first part), its id, <c>eventsApplied</c>, and when the row was last written (storage clock).
/// </summary>
public readonly record struct StoredEventCounter(string StateName, string Id, long EventsApplied, DateTimeOffset WrittenAt);

/// <summary>
/// Reads the entity grains' applied-event counters straight from the grain-state table (the row layout of Orleans'
/// AzureTableGrainStorage: PartitionKey <c>{ServiceId}_{grainType}/{id}</c> sanitized, RowKey the state name and the
/// grain key (<see cref="GrainKeyedRowStorage"/>), the state JSON in the <see cref="GrainStateRow"/> data columns), for the load harness and benchmarks that check
/// exactly-once application against storage. Not used by the engine itself.
/// </summary>
public sealed class GrainStateCounterReader(TableServiceClient service, string tableName)
{

    /// <summary>The states that keep an <c>eventsApplied</c> counter (each grain type's only state, of the same name).</summary>
    public static IReadOnlyList<string> CountedStates { get; } = ["seller", "listing", "reviewer"];

    // Each state's rows are one RowKey range: from "seller:" up to, not including, "seller;" (':' + 1).
    private static readonly string CountedStatesFilter = string.Join(" or ", CountedStates.Select(s =>
        $"(RowKey ge '{s}{GrainKeyedRowStorage.Separator}' and RowKey lt '{s}{(char)(GrainKeyedRowStorage.Separator + 1)}')"));

    /// <summary>Every stored counter (one scan of the table, counted states only).</summary>
    public async IAsyncEnumerable<StoredEventCounter> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in service.GetTableClient(tableName).QueryAsync<TableEntity>(CountedStatesFilter, cancellationToken: cancellationToken))
        {
            if (Read(row) is { } counter)
            {
                yield return counter;
            }
        }
    }

    /// <summary>One entity's counter by its row key, or null when it has no stored state.</summary>
    public async Task<StoredEventCounter?> ReadAsync(string serviceId, string stateName, string id, CancellationToken cancellationToken = default)
    {
        var partitionKey = TableNameRules.SanitizeKey($"{serviceId}_{stateName}/{id}");
        var rowKey = TableNameRules.SanitizeKey($"{stateName}{GrainKeyedRowStorage.Separator}{id}");
        var row = await service.GetTableClient(tableName).GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } value ? Read(value) : null;
    }

    /// <summary>The counter of a grain-state row; null for another state, a cleared state or a state without its id.</summary>
    public static StoredEventCounter? Read(TableEntity row)
    {
        var stateName = row.RowKey.Split(GrainKeyedRowStorage.Separator, 2)[0];
        if (!CountedStates.Contains(stateName))
        {
            return null;
        }

        var data = GrainStateRow.ReadData(row);
        if (data.Length == 0)
        {
            return null;
        }

        using var json = JsonDocument.Parse(data);

        // Entity grains store their domain state under "state", beside the journal rows it covers.
        var state = json.RootElement.TryGetProperty("state", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : json.RootElement;
        var id = state.TryGetProperty(stateName + "Id", out var idValue) ? idValue.GetString() : null;
        if (id is null)
        {
            return null;
        }

        var applied = state.TryGetProperty("eventsApplied", out var count) ? count.GetInt64() : 0;
        return new StoredEventCounter(stateName, id, applied, row.Timestamp ?? default);
    }
}
