namespace Integrity.Contracts;

/// <summary>Names shared by the stream provider, its producers and its consumers.</summary>
public static class StreamNames
{
    /// <summary>The persistent stream provider over the durable event journal.</summary>
    public const string JournalProvider = "journal";

    /// <summary>Namespace of the per-partition journal streams; the stream key is the partition, e.g. <c>p003</c>.</summary>
    public const string JournalNamespace = "journal";

    public static string PartitionKey(int partition) => $"p{partition:D3}";

    public static int PartitionOf(string key) =>
        key.Length == 4 && key[0] == 'p' && int.TryParse(key.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p)
            ? p
            : throw new ArgumentException($"'{key}' is not a journal partition key like p003.", nameof(key));
}
