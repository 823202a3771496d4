using System.Text.Json;
using Azure.Data.Tables;
using Integrity.LoadTests.Evaluation;
using Integrity.LoadTests.Marketplace;
using Integrity.Storage.AzureTables;
using Integrity.Storage.AzureTables.GrainStorage;

namespace Integrity.LoadTests.Probes;

/// <summary>
/// Per-entity <c>eventsApplied</c> read straight from the engine's grain-state table (row layout of Orleans'
/// AzureTableGrainStorage: PartitionKey <c>{ServiceId}_{grainType}/{id}</c> sanitized, RowKey the state name, the
/// state JSON in the binary Data columns), for the exactly-once check when the harness can reach the engine's storage
/// (self-hosted). One table scan answers for every entity, where the query API would need a request per entity.
/// </summary>
public sealed class GrainStateCounters(string connectionString, string tableName = "IntegrityGrainState")
{
    private readonly TableClient _table = new TableServiceClient(connectionString).GetTableClient(tableName);

    /// <summary>Every stored seller, listing and reviewer with its applied-event counter.</summary>
    public async Task<Dictionary<EntityKey, EntityCounters>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var result = new Dictionary<EntityKey, EntityCounters>();
        var filter = "RowKey eq 'seller' or RowKey eq 'listing' or RowKey eq 'reviewer'";
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (Read(row) is { } counters) result[new EntityKey(counters.Kind, counters.Id)] = counters;
        }

        return result;
    }

    /// <summary>One entity by its row key, or null when it has no stored state.</summary>
    public async Task<EntityCounters?> ReadAsync(EntityKind kind, string id, string serviceId, CancellationToken cancellationToken)
    {
        var state = StateName(kind);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(TableNameRules.SanitizeKey($"{serviceId}_{state}/{id}"), state, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } value ? Read(value) : null;
    }

    public static string StateName(EntityKind kind) => kind switch
    {
        EntityKind.Seller => "seller",
        EntityKind.Listing => "listing",
        EntityKind.Reviewer => "reviewer",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "The engine keeps no applied-event counter for this kind."),
    };

    private static EntityCounters? Read(TableEntity row)
    {
        (EntityKind Kind, string IdProperty)? shape = row.RowKey switch
        {
            "seller" => (EntityKind.Seller, "sellerId"),
            "listing" => (EntityKind.Listing, "listingId"),
            "reviewer" => (EntityKind.Reviewer, "reviewerId"),
            _ => null,
        };
        var data = GrainStateRow.ReadData(row);
        if (shape is not { } s || data.Length == 0) return null;

        using var json = JsonDocument.Parse(data);
        var id = json.RootElement.TryGetProperty(s.IdProperty, out var idValue) ? idValue.GetString() : null;
        if (id is null) return null;
        var applied = json.RootElement.TryGetProperty("eventsApplied", out var count) ? count.GetInt64() : 0;
        return new EntityCounters(s.Kind, id, applied);
    }
}
