namespace Integrity.Azurite;

/// <summary>Builds the connection string for Azurite's development account on loopback ports.</summary>
public static class AzuriteConnectionString
{
    // Azurite's published development account; it only ever opens a local emulator, never real storage.
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Whether a connection string opens Azurite's development account (the only account Azurite has).</summary>
    public static bool IsDevelopmentAccount(string? connectionString) =>
        connectionString is not null
        && connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(part =>
            part.Equals("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
            || part.Equals($"AccountName={AccountName}", StringComparison.OrdinalIgnoreCase));

    public static string For(AzuritePorts ports) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{ports.Blob}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{ports.Queue}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{ports.Table}/{AccountName};";
}
