using System.Net;

namespace Integrity.Client;

/// <summary>
/// A batch was refused (a 4xx other than 408/429) or could not be delivered within the attempts allowed.
/// <see cref="Completed"/> holds what earlier batches of the same call achieved; resending everything is safe,
/// because the engine applies each event id once.
/// </summary>
public sealed class IntegrityClientException(string message, HttpStatusCode? statusCode, int attempts, IngestResult completed, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The last HTTP status received, or null when the last attempt got no answer.</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;

    public int Attempts { get; } = attempts;

    public IngestResult Completed { get; } = completed;
}
