using System.Net.Http.Headers;
using Integrity.Grains.Webhooks;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Webhooks;

/// <summary>
/// Sends one delivery attempt with the host's <see cref="IHttpClientFactory"/> client: POST of the JSON body with the
/// signature and delivery headers, within <see cref="WebhookOptions.RequestTimeout"/>. Redirects are not followed (a
/// receiver's 3xx is a failure: the signature is for the URL registered). Failures are answered as a short reason
/// without the URL or the body.
/// </summary>
public sealed class HttpWebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options) : IWebhookSender
{
    public const string ClientName = "webhooks";

    public async Task<string?> SendAsync(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timeout";
        }
        catch (HttpRequestException e)
        {
            return e.HttpRequestError == HttpRequestError.Unknown ? "request failed" : $"request failed: {e.HttpRequestError}";
        }
    }
}
