namespace Integrity.Harness.Sending;

/// <summary>How the <see cref="IngestSender"/> sends: where, with which key, how hard, for how long.</summary>
public sealed record SenderOptions
{
    /// <summary>The engine's base address; only loopback addresses are accepted.</summary>
    public required Uri Target { get; init; }

    /// <summary>An API key with the ingest role, sent as <c>X-Api-Key</c>.</summary>
    public required string ApiKey { get; init; }

    /// <summary>Workers, each sending one request at a time; one seller's events always go through the same worker.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Target events per second over all workers; null sends as fast as the engine answers.</summary>
    public double? Rate { get; init; }

    /// <summary>At most this many events of the stream are sent; null sends the whole stream.</summary>
    public long? MaxEvents { get; init; }

    /// <summary>Wall-clock bound on sending; in-flight requests finish within <see cref="DrainTimeout"/> after it.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Events per request (NDJSON lines).</summary>
    public int Batch { get; init; } = 500;

    public bool Gzip { get; init; }

    /// <summary>How long a worker waits for a batch to fill before sending what it has.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Resends of one batch after 503/429, another 5xx or a transport error, before giving up on it.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The longest Retry-After the sender honors; a longer one is shortened to this.</summary>
    public TimeSpan MaxRetryWait { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After <see cref="Duration"/>, how long requests already under way may still take, retries included.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Target.IsAbsoluteUri || Target.Scheme is not ("http" or "https")) errors.Add($"--target must be an http(s) URL, got {Target}");
        else if (!Target.IsLoopback) errors.Add($"--target must be a loopback address (127.0.0.1, [::1], localhost), got {Target.Host}");
        if (string.IsNullOrWhiteSpace(ApiKey)) errors.Add("--api-key is required (a key with the ingest role)");
        if (Concurrency is < 1 or > 1024) errors.Add($"--concurrency must be 1..1024, got {Concurrency}");
        if (Rate is { } r && (r <= 0 || double.IsNaN(r) || double.IsInfinity(r))) errors.Add($"--rate must be a positive number of events/s or 'max', got {r}");
        if (MaxEvents is < 1) errors.Add($"--events must be at least 1, got {MaxEvents}");
        if (Duration <= TimeSpan.Zero || Duration > TimeSpan.FromHours(24)) errors.Add($"--duration must be between 1s and 24h, got {Duration}");
        if (Batch is < 1 or > 10_000) errors.Add($"--batch must be 1..10000, got {Batch}");
        if (MaxRetries is < 0 or > 100_000) errors.Add($"--max-retries must be 0..100000, got {MaxRetries}");
        return errors;
    }
}
