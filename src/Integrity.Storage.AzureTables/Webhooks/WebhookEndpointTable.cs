using Azure;
using Azure.Data.Tables;
using Integrity.Contracts.Services;

namespace Integrity.Storage.AzureTables.Webhooks;

/// <summary>Webhook endpoints registered through the API, and the pause state of every endpoint: one small partition.</summary>
public sealed class WebhookEndpointTable(TableServiceClient service, string tableName = "WebhookEndpoints") : IWebhookEndpointStore
{
    private const string Partition = "endpoints";

    private readonly TableClient _table = service.GetTableClient(tableName);

    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => _table.CreateIfNotExistsAsync(cancellationToken);

    public async Task<IReadOnlyList<StoredWebhookEndpoint>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        var found = new List<StoredWebhookEndpoint>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken))
        {
            found.Add(new StoredWebhookEndpoint(
                e.GetString("Id") ?? e.RowKey,
                e.GetBoolean("Registered") ?? false,
                e.GetString("Url"),
                (e.GetString("EntityKinds") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
                e.GetInt32("MinimumStep") ?? 0,
                e.GetString("SealedSecret"),
                e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
                e.GetBoolean("Paused") ?? false,
                e.GetDateTimeOffset("PausedAt"),
                e.GetString("PausedBy"),
                e.GetString("PauseReason")));
        }

        return found;
    }

    public async Task<bool> AddAsync(StoredWebhookEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        try
        {
            await _table.AddEntityAsync(ToEntity(endpoint), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task UpsertAsync(StoredWebhookEndpoint endpoint, CancellationToken cancellationToken = default) =>
        await _table.UpsertEntityAsync(ToEntity(endpoint), TableUpdateMode.Replace, cancellationToken);

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        var response = await _table.DeleteEntityAsync(Partition, TableNameRules.SanitizeKey(id), ETag.All, cancellationToken);
        return response.Status != 404;
    }

    private static TableEntity ToEntity(StoredWebhookEndpoint e) => new(Partition, TableNameRules.SanitizeKey(e.Id))
    {
        ["Id"] = e.Id,
        ["Registered"] = e.Registered,
        ["Url"] = e.Url,
        ["EntityKinds"] = string.Join(',', e.EntityKinds),
        ["MinimumStep"] = e.MinimumStep,
        ["SealedSecret"] = e.SealedSecret,
        ["CreatedAt"] = e.CreatedAt,
        ["Paused"] = e.Paused,
        ["PausedAt"] = e.PausedAt,
        ["PausedBy"] = e.PausedBy,
        ["PauseReason"] = e.PauseReason,
    };
}
