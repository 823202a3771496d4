using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Integrity.Contracts.Services;

namespace Integrity.Storage.AzureTables.Webhooks;

/// <summary>
/// The webhook outbox: one partition per endpoint, rows keyed <c>{status}{order}_{id hash}</c>, so an endpoint's
/// pending queue is one range scan, oldest first. Deliveries move between statuses (pending → delivered or failed,
/// failed → pending on a replay) in entity-group transactions of the endpoint's partition: a delete and an insert
/// commit together, so a delivery is never in two statuses or none. Enqueue upserts, so a retried audit batch or a
/// replayed decision with the same audit time writes the same row.
/// </summary>
public sealed class WebhookOutboxTable(TableServiceClient service, string tableName = "WebhookOutbox") : IWebhookOutbox
{
    /// <summary>Characters per string property (the service allows 64 KiB, i.e. 32K UTF-16 characters).</summary>
    private const int BodyChunk = 30_000;

    private readonly TableClient _table = service.GetTableClient(tableName);

    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => _table.CreateIfNotExistsAsync(cancellationToken);

    public async Task EnqueueAsync(IReadOnlyCollection<WebhookDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        var actions = deliveries.Select(d => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(d with { Status = WebhookDeliveryStatus.Pending })));
        foreach (var batch in EntityGroupBatches.Of(actions))
        {
            await _table.SubmitTransactionAsync(batch, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ReadAsync(string endpointId, WebhookDeliveryStatus status, int max, CancellationToken cancellationToken = default)
    {
        var prefix = Prefix(status);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(endpointId)} and RowKey ge {prefix} and RowKey lt {((char)(prefix[0] + 1)).ToString()}");
        var found = new List<WebhookDelivery>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            found.Add(FromEntity(entity, status));
            if (found.Count >= max)
            {
                break;
            }
        }

        return found;
    }

    public async Task SaveAsync(IReadOnlyCollection<(WebhookDelivery Delivery, WebhookDeliveryStatus From)> changes, CancellationToken cancellationToken = default)
    {
        var actions = new List<TableTransactionAction>();
        foreach (var (delivery, from) in changes)
        {
            var entity = ToEntity(delivery);
            if (from != delivery.Status)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(entity.PartitionKey, RowKey(delivery with { Status = from })), ETag.All));
            }

            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity));
        }

        // A delete and its insert are in one partition and so in one transaction, unless a batch boundary falls between
        // them: then the insert comes first, and a crash between leaves the delivery in both statuses (sent at most once
        // more), never in none.
        foreach (var batch in actions.GroupBy(a => a.Entity.PartitionKey).SelectMany(g => g.OrderByDescending(a => a.ActionType != TableTransactionActionType.Delete).Chunk(EntityGroupBatches.MaxActions)))
        {
            try
            {
                await _table.SubmitTransactionAsync(batch, cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // A row to move was gone already (moved by an earlier, interrupted save): apply the actions one by one.
                foreach (var action in batch)
                {
                    try
                    {
                        await (action.ActionType == TableTransactionActionType.Delete
                            ? _table.DeleteEntityAsync(action.Entity.PartitionKey, action.Entity.RowKey, ETag.All, cancellationToken)
                            : _table.UpsertEntityAsync((TableEntity)action.Entity, TableUpdateMode.Replace, cancellationToken));
                    }
                    catch (RequestFailedException missing) when (missing.Status == 404)
                    {
                    }
                }
            }
        }
    }

    public async Task<int> DeleteEndpointAsync(string endpointId, CancellationToken cancellationToken = default)
    {
        // Keys only (no bodies), then deletes in entity-group transactions of up to 100: the endpoint is one partition.
        var keys = new List<TableEntity>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition(endpointId)}"),
            maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(new TableEntity(entity.PartitionKey, entity.RowKey));
        }

        foreach (var batch in EntityGroupBatches.Of(keys.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, k, ETag.All))))
        {
            try
            {
                await _table.SubmitTransactionAsync(batch, cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // A row went meanwhile (moved by a delivery round, or by an earlier, interrupted delete): one by one.
                foreach (var action in batch)
                {
                    try
                    {
                        await _table.DeleteEntityAsync(action.Entity.PartitionKey, action.Entity.RowKey, ETag.All, cancellationToken);
                    }
                    catch (RequestFailedException missing) when (missing.Status == 404)
                    {
                    }
                }
            }
        }

        return keys.Count;
    }

    private static string Prefix(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Pending => "p",
        WebhookDeliveryStatus.Delivered => "d",
        _ => "f",
    };

    private static string Partition(string endpointId) => TableNameRules.SanitizeKey(endpointId);

    private static string RowKey(WebhookDelivery d) =>
        $"{Prefix(d.Status)}{d.Order.ToString("D19", CultureInfo.InvariantCulture)}_{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(d.DeliveryId)))[..16]}";

    private static TableEntity ToEntity(WebhookDelivery d)
    {
        var entity = new TableEntity(Partition(d.EndpointId), RowKey(d))
        {
            ["DeliveryId"] = d.DeliveryId,
            ["EntityKind"] = d.EntityKind,
            ["EntityId"] = d.EntityId,
            ["Order"] = d.Order,
            ["EnqueuedAt"] = d.EnqueuedAt,
            ["Attempts"] = d.Attempts,
            ["NextAttemptAt"] = d.NextAttemptAt,
            ["LastError"] = d.LastError,
            ["CompletedAt"] = d.CompletedAt,
        };
        var chunks = d.Body.Chunk(BodyChunk).Select(c => new string(c)).ToList();
        entity["BodyChunks"] = chunks.Count;
        for (var i = 0; i < chunks.Count; i++)
        {
            entity["Body" + i.ToString(CultureInfo.InvariantCulture)] = chunks[i];
        }

        return entity;
    }

    private static WebhookDelivery FromEntity(TableEntity e, WebhookDeliveryStatus status)
    {
        var chunks = e.GetInt32("BodyChunks") ?? 0;
        var body = string.Concat(Enumerable.Range(0, chunks).Select(i => e.GetString("Body" + i.ToString(CultureInfo.InvariantCulture))));
        return new WebhookDelivery(
            e.PartitionKey,
            e.GetString("DeliveryId"),
            e.GetString("EntityKind"),
            e.GetString("EntityId"),
            e.GetInt64("Order") ?? 0,
            body,
            e.GetDateTimeOffset("EnqueuedAt") ?? DateTimeOffset.MinValue,
            status,
            e.GetInt32("Attempts") ?? 0,
            e.GetDateTimeOffset("NextAttemptAt"),
            e.GetString("LastError"),
            e.GetDateTimeOffset("CompletedAt"));
    }
}
