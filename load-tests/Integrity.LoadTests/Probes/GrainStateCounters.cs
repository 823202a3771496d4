using Azure.Data.Tables;
using Integrity.LoadTests.Evaluation;
using Integrity.Harness.Market;
using Integrity.Storage.AzureTables.GrainStorage;

namespace Integrity.LoadTests.Probes;

/// <summary>
/// Per-entity <c>eventsApplied</c> read straight from the engine's grain-state table (through
/// <see cref="GrainStateCounterReader"/>), for the exactly-once check when the harness can reach the engine's storage
/// (self-hosted). One table scan answers for every entity, where the query API would need a request per entity.
/// </summary>
public sealed class GrainStateCounters(string connectionString, string tableName = GrainStateSiloBuilderExtensions.DefaultTableName)
{
    private readonly GrainStateCounterReader _reader = new(new TableServiceClient(connectionString), tableName);

    /// <summary>Every stored seller, listing and reviewer with its applied-event counter.</summary>
    public async Task<Dictionary<EntityKey, EntityCounters>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var result = new Dictionary<EntityKey, EntityCounters>();
        await foreach (var stored in _reader.ReadAllAsync(cancellationToken))
        {
            var counters = ToCounters(stored);
            result[new EntityKey(counters.Kind, counters.Id)] = counters;
        }

        return result;
    }

    /// <summary>One entity by its row key, or null when it has no stored state.</summary>
    public async Task<EntityCounters?> ReadAsync(EntityKind kind, string id, string serviceId, CancellationToken cancellationToken) =>
        await _reader.ReadAsync(serviceId, StateName(kind), id, cancellationToken) is { } stored ? ToCounters(stored) : null;

    public static string StateName(EntityKind kind) => kind switch
    {
        EntityKind.Seller => "seller",
        EntityKind.Listing => "listing",
        EntityKind.Reviewer => "reviewer",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "The engine keeps no applied-event counter for this kind."),
    };

    private static EntityCounters ToCounters(StoredEventCounter stored) => new(stored.StateName switch
    {
        "seller" => EntityKind.Seller,
        "listing" => EntityKind.Listing,
        "reviewer" => EntityKind.Reviewer,
        _ => throw new InvalidOperationException($"No entity kind keeps the state '{stored.StateName}'."),
    }, stored.Id, stored.EventsApplied);
}
