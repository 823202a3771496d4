using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Integrity.Contracts.Services;

namespace Integrity.Storage.AzureTables.DeadLetters;

/// <summary>
/// Rejected lines and poison events. PartitionKey the UTC day (<c>yyyyMMdd</c>), RowKey
/// <c>{ticks:D19}_{requestId}_{line:D6}</c> (by time, then request, then line). Appends are entity-group
/// transactions per day partition, and idempotent (a replayed dead letter replaces its own row).
/// </summary>
public sealed class DeadLetterTable(TableServiceClient service, string tableName = "DeadLetters") : IDeadLetterSink
{
    /// <summary>Most UTF-8 bytes of an oversized line that are read to describe it (type, ids, hash).</summary>
    public const int MaxRawBytes = 32 * 1024;

    private const int MaxReasonLength = 2048;
    private const int MaxBatch = 100;

    // A character can take up to 6 bytes once JSON-escaped in the payload: budget for that under the 4 MiB limit.
    private const long MaxBatchPayloadBytes = 3_500_000;

    private readonly TableClient _table = service.GetTableClient(tableName);

    public string TableName => tableName;

    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => _table.CreateIfNotExistsAsync(cancellationToken);

    public async Task AppendAsync(IEnumerable<DeadLetter> letters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letters);
        foreach (var day in letters.Select(ToRow).GroupBy(r => r.PartitionKey))
        {
            foreach (var batch in Batches(day.DistinctBy(r => r.RowKey)))
            {
                await _table.SubmitTransactionAsync(
                    batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r, ETag.All)),
                    cancellationToken);
            }
        }
    }

    /// <summary>The dead letters of one UTC day in time order, optionally of one request only.</summary>
    public async Task<IReadOnlyList<DeadLetter>> ReadDayAsync(DateOnly day, string? requestId = null, int max = 1000, CancellationToken cancellationToken = default)
    {
        var partition = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var filter = requestId is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RequestId eq {requestId}");
        var result = new List<DeadLetter>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            result.Add(FromRow(row));
            if (result.Count >= max)
            {
                break;
            }
        }

        return result;
    }

    Task IDeadLetterSink.AppendAsync(IReadOnlyList<ConsumerDeadLetter> letters, CancellationToken cancellationToken) =>
        AppendAsync(
            letters.Select((l, i) => new DeadLetter
            {
                At = l.At,
                Source = DeadLetterSources.Consumer,
                RequestId = $"p{l.Partition:D3}-{l.Sequence}",
                Line = i + 1,
                Code = l.Code,
                Reason = l.Reason,
                EventId = l.EventId,
                EventType = l.EventType,
                Partition = l.Partition,
                Sequence = l.Sequence,
            }),
            cancellationToken);

    private static IEnumerable<List<TableEntity>> Batches(IEnumerable<TableEntity> rows)
    {
        var batch = new List<TableEntity>();
        long bytes = 0;
        foreach (var row in rows)
        {
            var size = 1024 + ((row.GetString("Ids")?.Length ?? 0) + (row.GetString("Reason")?.Length ?? 0)) * 6L;
            if (batch.Count == MaxBatch || (batch.Count > 0 && bytes + size > MaxBatchPayloadBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add(row);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static TableEntity ToRow(DeadLetter letter)
    {
        var at = letter.At.ToUniversalTime();
        var rowKey = TableNameRules.SanitizeKey(
            $"{at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}_{letter.RequestId}_{letter.Line.ToString("D6", CultureInfo.InvariantCulture)}");
        var row = new TableEntity(at.ToString("yyyyMMdd", CultureInfo.InvariantCulture), rowKey)
        {
            ["At"] = at,
            ["Source"] = letter.Source,
            ["RequestId"] = letter.RequestId,
            ["Line"] = letter.Line,
            ["Code"] = letter.Code,
            ["Reason"] = letter.Reason.Length <= MaxReasonLength ? letter.Reason : letter.Reason[..MaxReasonLength],
            ["EventId"] = letter.EventId,
            ["EventType"] = letter.EventType,
            ["KeyRole"] = letter.KeyRole,
            ["KeyHash"] = letter.KeyHashPrefix,
            ["Partition"] = letter.Partition,
            ["Sequence"] = letter.Sequence,
            ["Ids"] = letter.Ids is { Count: > 0 } ids ? JsonSerializer.Serialize(ids) : null,
            ["RawHash"] = letter.RawHash,
            ["RawBytes"] = letter.RawBytes,
        };
        return row;
    }

    private static DeadLetter FromRow(TableEntity row) => new()
    {
        At = row.GetDateTimeOffset("At") ?? default,
        Source = row.GetString("Source") ?? "",
        RequestId = row.GetString("RequestId") ?? "",
        Line = row.GetInt32("Line") ?? 0,
        Code = row.GetString("Code") ?? "",
        Reason = row.GetString("Reason") ?? "",
        EventId = row.GetString("EventId"),
        EventType = row.GetString("EventType"),
        Ids = row.GetString("Ids") is { } ids ? JsonSerializer.Deserialize<Dictionary<string, string>>(ids) : null,
        RawHash = row.GetString("RawHash"),
        RawBytes = row.GetInt32("RawBytes"),
        KeyRole = row.GetString("KeyRole"),
        KeyHashPrefix = row.GetString("KeyHash"),
        Partition = row.GetInt32("Partition"),
        Sequence = row.GetInt64("Sequence"),
    };
}
