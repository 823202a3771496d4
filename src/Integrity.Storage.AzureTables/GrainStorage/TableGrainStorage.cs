using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace Integrity.Storage.AzureTables.GrainStorage;

/// <summary>
/// Grain storage on Azure Table storage with the same row layout as Orleans' AzureTableGrainStorage
/// (PartitionKey <c>{ServiceId}_{GrainId}</c> sanitized, RowKey the state name, binary <c>Data</c>…<c>Data14</c>)
/// and ETag optimistic concurrency. State is written as System.Text.Json with no type names.
/// </summary>
public sealed partial class TableGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly string _name;
    private readonly TableGrainStorageOptions _options;
    private readonly string _serviceId;
    private readonly ILogger<TableGrainStorage> _logger;
    private readonly GrainStateTables _tables;
    private readonly Lazy<TableClient[]> _clients;

    public TableGrainStorage(string name, TableGrainStorageOptions options, IOptions<ClusterOptions> clusterOptions, ILogger<TableGrainStorage> logger)
    {
        _name = name;
        _options = options;
        _serviceId = clusterOptions.Value.ServiceId;
        _logger = logger;
        // Created on first use so that invalid options reach the validator's clear message instead of failing here.
        _tables = new GrainStateTables(options.TableName, Math.Clamp(options.TableCount, 1, GrainStateTables.MaxCount));
        _clients = new(() =>
        {
            var service = TableServiceClients.Create(options.ConnectionString!, options.MaxRetries, options.RetryDelay, options.MaxRetryDelay, options.NetworkTimeout);
            return [.. _tables.Names.Select(service.GetTableClient)];
        });
    }

    public string TableName => _options.TableName;

    /// <summary>The table holding the row with this PartitionKey.</summary>
    private TableClient Table(string partitionKey) => _clients.Value[_tables.IndexOf(partitionKey)];

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (partitionKey, rowKey) = Keys(stateName, grainId);
        var response = await Call(stateName, grainId, "read", () => Table(partitionKey).GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey));
        if (!response.HasValue || response.Value is not { } entity)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        var data = GrainStateRow.Json(GrainStateRow.ReadData(entity));
        var state = data.Length == 0 ? default : Deserialize<T>(data, stateName, grainId);
        grainState.State = state ?? Activator.CreateInstance<T>();
        grainState.ETag = entity.ETag.ToString();
        grainState.RecordExists = state is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (partitionKey, rowKey) = Keys(stateName, grainId);
        var data = JsonSerializer.SerializeToUtf8Bytes(grainState.State, _options.SerializerOptions);
        if (_options.CompressState)
        {
            data = GrainStateRow.Compress(data);
        }

        var entity = GrainStateRow.Create(partitionKey, rowKey, data);
        grainState.ETag = await Upsert(entity, grainState.ETag, stateName, grainId);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (partitionKey, rowKey) = Keys(stateName, grainId);
        if (_options.DeleteStateOnClear)
        {
            await Delete(partitionKey, rowKey, grainState.ETag, stateName, grainId);
            grainState.ETag = null;
        }
        else
        {
            grainState.ETag = await Upsert(new TableEntity(partitionKey, rowKey), grainState.ETag, stateName, grainId);
        }

        grainState.State = Activator.CreateInstance<T>();
        grainState.RecordExists = false;
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(OptionFormattingUtilities.Name<TableGrainStorage>(_name), _options.InitStage, InitializeAsync);

    /// <summary>Creates the table; retried because storage may still be starting next to the silo.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                foreach (var table in _clients.Value)
                {
                    await table.CreateIfNotExistsAsync(cancellationToken);
                }

                LogTableReady(_logger, _name, _options.TableName);
                return;
            }
            catch (Exception e) when (e is RequestFailedException or AggregateException && attempt <= _options.MaxRetries && !cancellationToken.IsCancellationRequested)
            {
                LogTableCreateRetry(_logger, _name, _options.TableName, attempt, e.Message);
                await Task.Delay(_options.RetryDelay * attempt, cancellationToken);
            }
            catch (Exception e) when (e is RequestFailedException or AggregateException)
            {
                throw new TableStorageUnavailableException($"Grain storage '{_name}' could not create table '{_options.TableName}': {e.Message}", e);
            }
        }
    }

    private (string PartitionKey, string RowKey) Keys(string stateName, GrainId grainId) =>
        (TableNameRules.SanitizeKey($"{_serviceId}_{grainId}"), TableNameRules.SanitizeKey(stateName));

    private async Task<string> Upsert(TableEntity entity, string? etag, string stateName, GrainId grainId)
    {
        // No ETag: the caller believes no row exists, so insert (409 if one does). Otherwise replace only that version.
        Response response;
        try
        {
            response = await Call(stateName, grainId, "write", () => etag is null
                ? Table(entity.PartitionKey).AddEntityAsync(entity)
                : Table(entity.PartitionKey).UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace), etag);
        }
        catch (InconsistentStateException)
        {
            // The client retries a write whose answer was lost (a timeout under load); if the first attempt landed, the
            // retry meets its own row and fails on the ETag. A row holding exactly these bytes is our write: keep its ETag.
            if (await StoredETagIfSameAsync(entity) is { } landed)
            {
                return landed;
            }

            throw;
        }

        return response.Headers.ETag?.ToString() ?? throw new TableStorageUnavailableException($"Table '{_options.TableName}' returned no ETag writing '{stateName}' of {grainId}.");
    }

    private async Task<string?> StoredETagIfSameAsync(TableEntity written)
    {
        try
        {
            var stored = await Table(written.PartitionKey).GetEntityIfExistsAsync<TableEntity>(written.PartitionKey, written.RowKey);
            return stored.HasValue && stored.Value is { } row && GrainStateRow.ReadData(row).AsSpan().SequenceEqual(GrainStateRow.ReadData(written))
                ? row.ETag.ToString()
                : null;
        }
        catch (RequestFailedException)
        {
            return null;
        }
    }

    private async Task Delete(string partitionKey, string rowKey, string? etag, string stateName, GrainId grainId)
    {
        if (etag is null)
        {
            // Nothing is known to exist; a row that does exist was written by someone else.
            var existing = await Call(stateName, grainId, "clear", () => Table(partitionKey).GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, ["PartitionKey"]));
            if (existing.HasValue)
            {
                throw Inconsistent("clear", stateName, grainId, null, null);
            }

            return;
        }

        await Call(stateName, grainId, "clear", () => Table(partitionKey).DeleteEntityAsync(partitionKey, rowKey, new ETag(etag)), etag);
    }

    private async Task<TResult> Call<TResult>(string stateName, GrainId grainId, string operation, Func<Task<TResult>> call, string? etag = null)
    {
        try
        {
            return await call();
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            throw Inconsistent(operation, stateName, grainId, etag, e);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or IOException or TaskCanceledException or OperationCanceledException)
        {
            LogStorageFailed(_logger, operation, stateName, grainId, _options.TableName, e.Message);
            throw new TableStorageUnavailableException(
                $"Grain storage '{_name}' could not {operation} state '{stateName}' of {grainId} in table '{_options.TableName}' after {_options.MaxRetries + 1} attempts: {FirstLine(e.Message)}",
                e);
        }
    }

    private InconsistentStateException Inconsistent(string operation, string stateName, GrainId grainId, string? etag, Exception? inner)
    {
        LogConflict(_logger, operation, stateName, grainId, etag ?? "(none)");
        var message = $"Grain storage '{_name}': {operation} of state '{stateName}' of {grainId} was rejected because the stored row changed (expected ETag {etag ?? "none"}).";
        return inner is null
            ? new InconsistentStateException(message, "Unknown", etag ?? "")
            : new InconsistentStateException(message, "Unknown", etag ?? "", inner);
    }

    private T? Deserialize<T>(byte[] data, string stateName, GrainId grainId)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(data, _options.SerializerOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Stored state '{stateName}' of {grainId} in table '{_options.TableName}' is not valid JSON for {typeof(T).Name}: {e.Message}", e);
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
