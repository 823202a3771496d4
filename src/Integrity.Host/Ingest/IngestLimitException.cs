namespace Integrity.Host.Ingest;

/// <summary>The request as a whole is over a limit (body size, event count): it is answered 413 and nothing is accepted.</summary>
public sealed class IngestLimitException(string message) : Exception(message);
