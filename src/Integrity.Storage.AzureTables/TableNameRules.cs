namespace Integrity.Storage.AzureTables;

/// <summary>Azure Table service naming and key rules shared by every table this project writes.</summary>
public static class TableNameRules
{
    /// <summary>Largest PartitionKey or RowKey the service accepts (1 KiB).</summary>
    public const int MaxKeyLength = 1024;

    public static bool IsValid(string? tableName) =>
        tableName is { Length: >= 3 and <= 63 }
        && char.IsAsciiLetter(tableName[0])
        && tableName.All(char.IsAsciiLetterOrDigit);

    /// <summary>
    /// Replaces the characters the Table service forbids in keys (<c>/ \ # ?</c> and control characters) with '_',
    /// exactly as Orleans' Azure providers do, so rows stay readable by the official provider.
    /// </summary>
    public static string SanitizeKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var sanitized = string.Create(key.Length, key, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is '/' or '\\' or '#' or '?' || char.IsControl(c) ? '_' : c;
            }
        });

        return sanitized.Length <= MaxKeyLength
            ? sanitized
            : throw new ArgumentException($"Table key is {sanitized.Length} characters long; the limit is {MaxKeyLength}.", nameof(key));
    }
}
