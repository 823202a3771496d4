using Microsoft.Extensions.Logging;

namespace Integrity.Storage.AzureTables.GrainStorage;

public sealed partial class TableGrainStorage
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Grain storage {Provider} is using table {Table}")]
    private static partial void LogTableReady(ILogger logger, string provider, string table);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain storage {Provider} could not create table {Table} (attempt {Attempt}): {Error}")]
    private static partial void LogTableCreateRetry(ILogger logger, string provider, string table, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain storage {Operation} of {StateName} for {GrainId} in {Table} failed: {Error}")]
    private static partial void LogStorageFailed(ILogger logger, string operation, string stateName, GrainId grainId, string table, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Grain storage {Operation} of {StateName} for {GrainId} rejected: stale ETag {ETag}")]
    private static partial void LogConflict(ILogger logger, string operation, string stateName, GrainId grainId, string etag);
}
