namespace Integrity.Client;

/// <summary>How an <see cref="IntegrityClient"/> batches and retries.</summary>
public sealed class IntegrityClientOptions
{
    /// <summary>An API key with the <c>ingest</c> role.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Path of the ingest endpoint, relative to the HttpClient's BaseAddress.</summary>
    public string EventsPath { get; set; } = "/v1/events";

    /// <summary>Most events per request (the engine's default limit is 10,000).</summary>
    public int MaxBatchEvents { get; set; } = 1000;

    /// <summary>Most uncompressed bytes per request (the engine's default limit is 16 MiB).</summary>
    public int MaxBatchBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Compress request bodies with gzip.</summary>
    public bool Gzip { get; set; } = true;

    /// <summary>Attempts per batch, the first included, before giving up.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Median of the first backoff; each retry doubles it (with jitter) up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest Retry-After honored; a server asking for more is waited on for this long.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of one attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new ArgumentException("IntegrityClientOptions.ApiKey is required.");
        }

        if (MaxBatchEvents < 1 || MaxBatchBytes < 1024 || MaxAttempts < 1)
        {
            throw new ArgumentException("MaxBatchEvents and MaxAttempts must be positive and MaxBatchBytes at least 1024.");
        }

        // The ranges Polly's retry and timeout strategies accept, said here in our options' names.
        if (InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff || MaxBackoff > TimeSpan.FromDays(1) || MaxRetryAfter < TimeSpan.Zero
            || RequestTimeout < TimeSpan.FromMilliseconds(10) || RequestTimeout > TimeSpan.FromDays(1))
        {
            throw new ArgumentException("Backoffs must be non-negative with InitialBackoff ≤ MaxBackoff ≤ 1 day, and RequestTimeout within [10 ms, 1 day].");
        }
    }
}
