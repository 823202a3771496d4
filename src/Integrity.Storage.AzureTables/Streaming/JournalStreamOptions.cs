namespace Integrity.Storage.AzureTables.Streaming;

/// <summary>Options of the journal stream provider.</summary>
public sealed class JournalStreamOptions
{
    /// <summary>Most journal rows read per poll of one partition.</summary>
    public int MaxRowsPerRead { get; set; } = 16;

    /// <summary>Rows kept in each partition's delivery cache.</summary>
    public int CacheSize { get; set; } = 256;

    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often a partition that has had nothing to read is read (it rests after a few empty reads). Appends wake the
    /// partition's reader at once wherever it runs, so this bounds only the delivery of rows whose wake was lost (say,
    /// in a silo's death) or that another process appended to the journal directly. Each resting partition costs
    /// storage one query per interval: at the default, an idle silo with 8 partitions makes 16 a minute.
    /// </summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(30);

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

        if (IdlePollInterval < TimeSpan.FromMilliseconds(10) || IdlePollInterval > TimeSpan.FromHours(1))
        {
            yield return $"IdlePollInterval must be 10 ms..1 h, got {IdlePollInterval}";
        }
    }
}
