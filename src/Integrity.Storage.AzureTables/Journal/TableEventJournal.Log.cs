using Microsoft.Extensions.Logging;

namespace Integrity.Storage.AzureTables.Journal;

public sealed partial class TableEventJournal
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Journal table {Table} ready with {Partitions} partitions")]
    private static partial void LogTableReady(ILogger logger, string table, int partitions);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Journal partition {Partition}: head {Next} was taken by another writer (attempt {Attempt}); re-reading")]
    private static partial void LogConflict(ILogger logger, int partition, long next, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal partition {Partition}: could not store {Events} events: {Error}")]
    private static partial void LogCommitFailed(ILogger logger, int partition, int events, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal overloaded: {Pending} events waiting (bound {Max}); refusing an append")]
    private static partial void LogOverloaded(ILogger logger, long pending, long max);
}
