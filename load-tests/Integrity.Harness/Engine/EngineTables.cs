using System.Diagnostics;
using System.Text.Json;
using Azure.Data.Tables;
using Integrity.Harness.Ledger;
using Integrity.Harness.Market;
using Integrity.Storage.AzureTables.GrainStorage;
using Integrity.Storage.AzureTables.Journal;

namespace Integrity.Harness.Engine;

/// <summary>One journal partition's head (last sequence written) and its consumer's durable checkpoint.</summary>
public readonly record struct PartitionProgress(int Partition, long Head, long Checkpoint)
{
    public bool Settled => Head == Checkpoint;
}

/// <summary>An audit row: the decision, the events that tipped it, and when the row was written (storage clock).</summary>
public sealed record StoredDecision(string EntityKind, string EntityId, string Step, IReadOnlyList<string> TriggeringEventIds, DateTimeOffset WrittenAt);

/// <summary>
/// Reads the engine's tables directly (no host involved), with the host's default names: the journal heads, the
/// consumers' checkpoints, grain state (row layout of Orleans' AzureTableGrainStorage), audit and dead letters.
/// </summary>
public sealed class EngineTables(string connectionString, string? grainStateConnectionString = null)
{
    private readonly TableServiceClient _service = new(connectionString);
    private readonly TableServiceClient _grainStateService = new(grainStateConnectionString ?? connectionString);

    public TableClient Journal => _service.GetTableClient("Journal");

    public TableClient Checkpoints => _service.GetTableClient("JournalCheckpoints");

    /// <summary>The host's default grain-state table.</summary>
    public GrainStateCounterReader GrainState => new(_grainStateService, Orleans.Hosting.GrainStateSiloBuilderExtensions.DefaultTableName);

    public TableClient DeadLetters => _service.GetTableClient("DeadLetters");

    public TableClient Audit => _service.GetTableClient("AuditByTime");

    public async Task<IReadOnlyList<PartitionProgress>> ProgressAsync(CancellationToken cancellationToken = default)
    {
        var heads = new Dictionary<int, long>();
        await foreach (var row in Journal.QueryAsync<TableEntity>($"RowKey eq '{JournalRowLayout.HeadRowKey}'", select: ["PartitionKey", "RowKey", JournalRowLayout.NextProperty], cancellationToken: cancellationToken))
        {
            heads[int.Parse(row.PartitionKey.AsSpan(1), provider: System.Globalization.CultureInfo.InvariantCulture)] = (row.GetInt64(JournalRowLayout.NextProperty) ?? 1) - 1;
        }

        var checkpoints = new Dictionary<int, long>();
        await foreach (var row in Checkpoints.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            checkpoints[int.Parse(row.RowKey.AsSpan(1), provider: System.Globalization.CultureInfo.InvariantCulture)] = row.GetInt64("Sequence") ?? 0;
        }

        return [.. heads.Keys.Union(checkpoints.Keys).Order().Select(p => new PartitionProgress(p, heads.GetValueOrDefault(p), checkpoints.GetValueOrDefault(p)))];
    }

    /// <summary>
    /// Waits until every partition's checkpoint has reached its journal head (everything journaled is applied and
    /// its grain states written), the same for two reads in a row. Returns how long it took.
    /// </summary>
    public async Task<TimeSpan> WaitSettledAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var waited = Stopwatch.StartNew();
        IReadOnlyList<PartitionProgress>? last = null;
        while (true)
        {
            IReadOnlyList<PartitionProgress>? now = null;
            try
            {
                now = await ProgressAsync(cancellationToken);
            }
            catch (Azure.RequestFailedException)
            {
            }

            if (now is { Count: > 0 } && now.All(p => p.Settled) && last is not null && now.SequenceEqual(last))
            {
                return waited.Elapsed;
            }

            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"Not settled within {timeout.TotalSeconds:0}s: " + string.Join(", ", (now ?? last ?? []).Select(p => $"p{p.Partition} head {p.Head} checkpoint {p.Checkpoint}")));
            }

            last = now;
            await Task.Delay(500, cancellationToken);
        }
    }

    /// <summary>
    /// After a silo left: waits until every partition of <paramref name="waiting"/> has a checkpoint past where it was
    /// in <paramref name="before"/> (it resumed, wherever it now runs), or <paramref name="timeout"/> passes. Returns
    /// the partitions that did, each with how long it took.
    /// </summary>
    public async Task<Dictionary<int, TimeSpan>> WaitResumedAsync(
        IReadOnlyDictionary<int, PartitionProgress> before, IReadOnlySet<int> waiting, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var resumed = new Dictionary<int, TimeSpan>();
        while (resumed.Count < waiting.Count && clock.Elapsed < timeout)
        {
            foreach (var p in await ProgressAsync(cancellationToken))
            {
                if (waiting.Contains(p.Partition) && !resumed.ContainsKey(p.Partition) && p.Checkpoint > before[p.Partition].Checkpoint)
                {
                    resumed[p.Partition] = clock.Elapsed;
                }
            }

            await Task.Delay(200, cancellationToken);
        }

        return resumed;
    }

    /// <summary>
    /// Every stored listing, reviewer and seller (whose id contains <paramref name="idPart"/>, if given) with its applied
    /// counter: one scan of the grain-state table (row layout of Orleans' AzureTableGrainStorage).
    /// </summary>
    public async Task<Dictionary<EntityKey, EntityCounters>> StoredEntitiesAsync(string? idPart = null, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<EntityKey, EntityCounters>();
        await foreach (var stored in GrainState.ReadAllAsync(cancellationToken))
        {
            if (idPart is null || stored.Id.Contains(idPart, StringComparison.Ordinal))
            {
                var counters = Counters(stored);
                result[new EntityKey(counters.Kind, counters.Id)] = counters;
            }
        }

        return result;
    }

    /// <summary>One stored entity, read by its grain-state row key (<c>{serviceId}_{grainType}/{id}</c> sanitized); null when it has no stored state.</summary>
    public async Task<EntityCounters?> StoredEntityAsync(EntityKey entity, string serviceId = "integrity", CancellationToken cancellationToken = default) =>
        EntityKinds.Counted.Contains(entity.Kind) && await GrainState.ReadAsync(serviceId, entity.Kind.ToString().ToLowerInvariant(), entity.Id, cancellationToken) is { } stored
            ? Counters(stored)
            : null;

    private static EntityCounters Counters(StoredEventCounter stored) =>
        new(Enum.Parse<EntityKind>(stored.StateName, ignoreCase: true), stored.Id, stored.EventsApplied);

    /// <summary>
    /// The silo ports of the silos the cluster's membership table lists as Active (Orleans' Azure Table membership on
    /// the engine's account; its two version rows, <c>!Start</c> and <c>~End</c>, are skipped).
    /// </summary>
    public async Task<IReadOnlySet<int>> ActiveSiloPortsAsync(string clusterId, CancellationToken cancellationToken = default)
    {
        var ports = new HashSet<int>();
        var membership = _service.GetTableClient(Orleans.Hosting.ClusteringSiloBuilderExtensions.DefaultTableName);
        await foreach (var row in membership.QueryAsync<TableEntity>(r => r.PartitionKey == clusterId, cancellationToken: cancellationToken))
        {
            if (row.RowKey.StartsWith('!') || row.RowKey.StartsWith('~'))
            {
                continue;
            }

            if (string.Equals(row.GetString("Status"), "Active", StringComparison.Ordinal)
                && int.TryParse(row.GetString("Port"), System.Globalization.CultureInfo.InvariantCulture, out var port))
            {
                ports.Add(port);
            }
        }

        return ports;
    }

    /// <summary>Dead letters written by the journal consumers (impossible content), all days.</summary>
    public async Task<List<TableEntity>> ConsumerDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<TableEntity>();
        await foreach (var row in DeadLetters.QueryAsync<TableEntity>("Source eq 'consumer'", cancellationToken: cancellationToken))
        {
            result.Add(row);
        }

        return result;
    }

    /// <summary>Every automatic decision in the audit trail with its triggering events and write time.</summary>
    public async Task<List<StoredDecision>> DecisionsAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<StoredDecision>();
        await foreach (var row in Audit.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            var details = row.GetString("Details");
            if (details is null)
            {
                continue;
            }

            using var json = JsonDocument.Parse(details);
            var triggers = json.RootElement.TryGetProperty("triggeringEventIds", out var t) && t.ValueKind == JsonValueKind.Array
                ? t.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
                : [];
            result.Add(new StoredDecision(row.GetString("EntityKind") ?? "", row.GetString("EntityId") ?? "", row.GetString("Step") ?? "", triggers, row.Timestamp ?? default));
        }

        return result;
    }

    /// <summary>Every event id in the journal (to tell which unanswered events were nevertheless stored).</summary>
    public async Task<Dictionary<string, int>> JournaledEventIdsAsync(CancellationToken cancellationToken = default)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in Journal.QueryAsync<TableEntity>($"RowKey ne '{JournalRowLayout.HeadRowKey}'", cancellationToken: cancellationToken))
        {
            foreach (var e in JournalRowLayout.Read(0, row).Events)
            {
                counts[e.EventId] = counts.GetValueOrDefault(e.EventId) + 1;
            }
        }

        return counts;
    }
}
