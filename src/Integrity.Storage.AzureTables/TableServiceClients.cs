using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Data.Tables.Sas;

namespace Integrity.Storage.AzureTables;

/// <summary>
/// The one place the engine makes its Table service clients from a connection string. A connection string with an
/// account key signs with a shared access signature derived from that key, renewed well before it expires, instead
/// of the key itself: Azure.Data.Tables signs every shared-key request with a new, never disposed HMACSHA256, and the
/// finalizer thread freeing those took about a fifth of the host's CPU under load. Other connection strings (SAS)
/// are used as they are.
/// </summary>
public static class TableServiceClients
{
    /// <summary>How long a derived signature is valid; it is replaced every <see cref="Renewal"/>.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromHours(25);

    public static readonly TimeSpan Renewal = TimeSpan.FromHours(1);

    /// <summary>A client with bounded, exponential retries, so an outage surfaces in seconds, not minutes.</summary>
    public static TableServiceClient Create(string connectionString, int maxRetries, TimeSpan retryDelay, TimeSpan maxRetryDelay, TimeSpan networkTimeout)
    {
        var options = new TableClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = retryDelay;
        options.Retry.MaxDelay = maxRetryDelay;
        options.Retry.NetworkTimeout = networkTimeout;
        return Create(connectionString, options);
    }

    /// <summary>A client with the SDK's default retries.</summary>
    public static TableServiceClient Create(string connectionString, TableClientOptions? options = null)
    {
        var keyed = new TableServiceClient(connectionString, options ?? new TableClientOptions());
        string signature;
        try
        {
            signature = Signature(keyed);
        }
        catch (InvalidOperationException)
        {
            return keyed; // no account key to derive a signature from: the connection string carries its own SAS
        }

        var credential = new AzureSasCredential(signature);
        // The timer holds the credential (and the keyed client that renews it) for the life of the process; clients are
        // made once per provider, so there are a handful.
        _ = new Timer(_ => credential.Update(Signature(keyed)), null, Renewal, Renewal);
        return new TableServiceClient(keyed.Uri, credential, options ?? new TableClientOptions());
    }

    private static string Signature(TableServiceClient keyed) =>
        keyed.GenerateSasUri(TableAccountSasPermissions.All, TableAccountSasResourceTypes.All, DateTimeOffset.UtcNow + Validity).Query;
}
