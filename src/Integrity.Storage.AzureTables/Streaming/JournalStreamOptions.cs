namespace Integrity.Storage.AzureTables.Streaming;

/// <summary>Options of the journal stream provider.</summary>
public sealed class JournalStreamOptions
{
    /// <summary>Most journal rows read per poll of one partition.</summary>
    public int MaxRowsPerRead { get; set; } = 16;

    /// <summary>Rows kept in each partition's delivery cache.</summary>
    public int CacheSize { get; set; } = 256;

    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Validate()
    {
        if (MaxRowsPerRead is < 1 or > 1000)
        {
            yield return $"MaxRowsPerRead must be 1..1000, got {MaxRowsPerRead}";
        }

        if (CacheSize < MaxRowsPerRead)
        {
            yield return $"CacheSize ({CacheSize}) must be at least MaxRowsPerRead ({MaxRowsPerRead})";
        }

        if (ReadTimeout <= TimeSpan.Zero)
        {
            yield return "ReadTimeout must be positive";
        }
    }
}
