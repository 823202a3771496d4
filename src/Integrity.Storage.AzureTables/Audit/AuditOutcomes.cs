using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Data.Tables;
using Integrity.Contracts;
using Integrity.Domain.Outcomes;

namespace Integrity.Storage.AzureTables.Audit;

/// <summary>What <see cref="AuditOutcomes.ReadVerdictsAsync"/> found: the verdicts, the labelling actions read, those with no policy decision to rule on, and whether the range held more than was read.</summary>
public sealed record AuditVerdicts(IReadOnlyList<RuleVerdict> Verdicts, int Actions, int Unpaired, bool Truncated);

/// <summary>
/// Analysts' verdicts on policy decisions, from the durable audit: every labelling action (<see cref="OutcomeLabels"/>)
/// taken in a time range, read from the by-time table, each paired (<see cref="OutcomePairing"/>) with the decision it
/// rules on from its entity's whole trail, which may lie before the range. Reads one query over the range's hour
/// partitions (only rows that are neither decisions nor notes come back), then one per entity acted on: analyst
/// actions are people's work, a few thousand a day at most, while decisions can be millions.
/// </summary>
public sealed class AuditOutcomes(AuditTable audit)
{
    /// <summary>Most labelling actions one read pairs; a range with more is answered for its oldest ones, marked truncated.</summary>
    public const int DefaultMaxActions = 20_000;

    /// <summary>Most rows read of one entity's trail.</summary>
    public const int MaxTrailRows = 10_000;

    private const int MaxParallelEntities = 8;

    public async Task<AuditVerdicts> ReadVerdictsAsync(DateTimeOffset from, DateTimeOffset to, int maxActions = DefaultMaxActions, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxActions);
        var actions = new List<(AuditRecord Record, TrailEntry Entry)>();
        var truncated = false;
        if (from < to)
        {
            var last = to.AddTicks(-1);
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey ge {AuditRows.HourPartition(from)} and PartitionKey le {AuditRows.HourPartition(last)} and OccurredAt ge {from} and OccurredAt lt {to} and Kind ne {"decision"} and Kind ne {"note"}");
            await foreach (var row in audit.ByTime.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
            {
                if (AuditRows.IsDigest(row) || row.GetString("Kind") is null)
                {
                    continue;
                }

                var record = AuditRows.FromRow(row).Record;
                var entry = Entry(record);
                if (OutcomeLabels.Of(entry.ActionKind) is null)
                {
                    continue;
                }

                if (actions.Count == maxActions)
                {
                    truncated = true;
                    break;
                }

                actions.Add((record, entry));
            }
        }

        var verdicts = new ConcurrentBag<RuleVerdict>();
        var unpaired = 0;
        var entities = actions.GroupBy(a => (a.Record.EntityKind, a.Record.EntityId)).ToList();
        await Parallel.ForEachAsync(entities, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelEntities, CancellationToken = cancellationToken }, async (entity, token) =>
        {
            var trail = await audit.ReadEntityAsync(entity.Key.EntityKind, entity.Key.EntityId, max: MaxTrailRows, cancellationToken: token);
            var paired = OutcomePairing.Pair([.. trail.Select(Entry)], entity.Select(a => a.Entry));
            foreach (var verdict in paired.Verdicts)
            {
                verdicts.Add(verdict with { EntityKind = entity.Key.EntityKind, EntityId = entity.Key.EntityId });
            }

            Interlocked.Add(ref unpaired, paired.Unpaired);
        });

        return new AuditVerdicts([.. verdicts], actions.Count, unpaired, truncated);
    }

    /// <summary>
    /// An audit row as the pairing reads it. A decision's reason codes are those that weighed in (weight above 0, not
    /// acknowledged by an analyst): a reason shown for information did not make the decision. An action's kind is its
    /// details' <c>origin</c> (the row's own kind without one), its references the ids its details name.
    /// </summary>
    public static TrailEntry Entry(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var isDecision = record.Kind == "decision";
        string? origin = null;
        var codes = new List<string>();
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        var references = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(record.Details);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                origin = root.TryGetProperty("origin", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
                if (root.TryGetProperty("triggeringEventIds", out var ids) && ids.ValueKind == JsonValueKind.Array)
                {
                    references.AddRange(ids.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!));
                }

                if (isDecision && root.TryGetProperty("reasons", out var reasons) && reasons.ValueKind == JsonValueKind.Array)
                {
                    foreach (var reason in reasons.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object))
                    {
                        var weighed = reason.TryGetProperty("weight", out var w) && w.ValueKind == JsonValueKind.Number && w.GetDouble() > 0;
                        var acknowledged = reason.TryGetProperty("acknowledged", out var a) && a.ValueKind == JsonValueKind.True;
                        if (weighed && !acknowledged && reason.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String && !codes.Contains(c.GetString()!))
                        {
                            codes.Add(c.GetString()!);
                            weights[c.GetString()!] = w.GetDouble();
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            // An unreadable row labels nothing and cites nothing.
        }

        return new TrailEntry(record.EntryId, isDecision, isDecision ? null : origin ?? record.Kind, record.RecordedAt, record.OccurredAt, record.PolicyVersion, codes, references, weights);
    }
}
