namespace Integrity.Grains.Webhooks;

/// <summary>One HTTP attempt of a delivery (the host's HttpClient); never throws for the receiver's failures.</summary>
public interface IWebhookSender
{
    /// <returns>Null on a 2xx answer, else why it failed (a status code or the kind of error; no URL, no body).</returns>
    Task<string?> SendAsync(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body, CancellationToken cancellationToken);
}
