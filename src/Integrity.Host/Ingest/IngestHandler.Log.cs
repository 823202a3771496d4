namespace Integrity.Host.Ingest;

public sealed partial class IngestHandler
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Ingest {RequestId}: {Accepted} accepted, {Duplicates} duplicates, {Rejected} rejected")]
    private static partial void LogIngested(ILogger logger, string requestId, int accepted, int duplicates, int rejected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest {RequestId}: refused as too large ({Size})")]
    private static partial void LogTooLarge(ILogger logger, string requestId, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest {RequestId}: journal saturated ({Pending} events waiting), answered 503")]
    private static partial void LogOverloaded(ILogger logger, string requestId, long pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest {RequestId}: storage unavailable, answered 503 ({Stored} events stored anyway): {Error}")]
    private static partial void LogStorageUnavailable(ILogger logger, string requestId, int stored, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest {RequestId}: stored state {LagSeconds:0.0} s behind and a checkpoint cycle {CycleSeconds:0.0} s, past the bound; answered 503")]
    private static partial void LogStoredLagExceeded(ILogger logger, string requestId, double lagSeconds, double cycleSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest {RequestId}: the event parser threw on a line (rejected it and went on); Parse must never throw")]
    private static partial void LogParserFault(ILogger logger, string requestId, Exception exception);
}
