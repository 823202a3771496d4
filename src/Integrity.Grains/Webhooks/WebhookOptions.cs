using System.Text.RegularExpressions;

namespace Integrity.Grains.Webhooks;

/// <summary>Outbound webhooks: endpoints from configuration and how deliveries are retried and paused.</summary>
public sealed partial class WebhookOptions
{
    public const string Section = "Webhooks";

    public const int MinSecretLength = 32;

    /// <summary>Endpoints configured with the deployment (more can be registered through the API).</summary>
    public List<ConfiguredWebhookEndpoint> Endpoints { get; set; } = [];

    /// <summary>How long a delivery is retried before it is kept as failed (replayable through the API). Default 24 h.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Delay after the first failed attempt; it doubles per attempt (with jitter) up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one attempt may take (connect, send, answer).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// An endpoint whose every attempt has failed for this long (no success between, whatever the entity) is paused
    /// until an analyst resumes it. Default 6 h; a paused endpoint keeps queueing and nothing of it expires.
    /// </summary>
    public TimeSpan PauseAfter { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Requests one endpoint has under way at once (each to a different entity: one entity's deliveries go one by one).</summary>
    public int MaxParallelPerEndpoint { get; set; } = 8;

    /// <summary>Queued deliveries read per round to find each entity's next one.</summary>
    public int MaxQueueScan { get; set; } = 5000;

    /// <summary>How long a silo trusts its copy of the registered endpoints when it queues (deliverers read them fresh).</summary>
    public TimeSpan EndpointRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    public static IReadOnlyList<string> EntityKindNames { get; } = ["seller", "listing", "reviewer"];

    public IEnumerable<string> Validate()
    {
        if (RetryPeriod <= TimeSpan.Zero || RetryPeriod > TimeSpan.FromDays(30))
        {
            yield return $"RetryPeriod must be within (0, 30 days], got {RetryPeriod}";
        }

        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            yield return $"InitialBackoff must be positive and MaxBackoff at least InitialBackoff, got {InitialBackoff} and {MaxBackoff}";
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(5))
        {
            yield return $"RequestTimeout must be within (0, 5 min], got {RequestTimeout}";
        }

        if (PauseAfter <= TimeSpan.Zero)
        {
            yield return $"PauseAfter must be positive, got {PauseAfter}";
        }

        if (MaxParallelPerEndpoint < 1 || MaxQueueScan < 1)
        {
            yield return "MaxParallelPerEndpoint and MaxQueueScan must be positive";
        }

        if (EndpointRefreshInterval <= TimeSpan.Zero)
        {
            yield return "EndpointRefreshInterval must be positive";
        }

        for (var i = 0; i < Endpoints.Count; i++)
        {
            foreach (var problem in EndpointProblems(Endpoints[i].Id, Endpoints[i].Url, Endpoints[i].EntityKinds, Endpoints[i].MinimumStep, Endpoints[i].Secret))
            {
                // Never the secret itself.
                yield return $"Endpoints:{i}: {problem}";
            }
        }

        foreach (var twice in Endpoints.GroupBy(e => e.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return $"Endpoint id '{twice.Key}' is configured more than once";
        }
    }

    /// <summary>What is wrong with an endpoint's definition (configured or registered); never quotes the secret.</summary>
    public static IEnumerable<string> EndpointProblems(string? id, string? url, IReadOnlyList<string>? entityKinds, int minimumStep, string? secret)
    {
        if (id is null || !IdPattern().IsMatch(id))
        {
            yield return "Id must be 1 to 64 lowercase letters, digits or '-', starting with a letter or digit";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            yield return "Url must be an absolute http or https URL without user info or fragment";
        }

        foreach (var kind in entityKinds ?? [])
        {
            if (!EntityKindNames.Contains(kind, StringComparer.Ordinal))
            {
                yield return $"EntityKinds may hold {string.Join(", ", EntityKindNames)} (none: all), got '{(kind.Length > 20 ? kind[..20] : kind)}'";
            }
        }

        if (minimumStep is < 0 or > 5)
        {
            yield return $"MinimumStep must be a ladder level 0..5 (1: the first step), got {minimumStep}";
        }

        if (secret is null || secret.Length < MinSecretLength || secret.Length > 256)
        {
            yield return $"Secret must be {MinSecretLength} to 256 characters";
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex IdPattern();
}

/// <summary>An endpoint from configuration (<c>Webhooks:Endpoints:N:*</c>).</summary>
public sealed class ConfiguredWebhookEndpoint
{
    /// <summary>Stable id: names the endpoint's queue, so keep it when the URL changes.</summary>
    public string? Id { get; set; }

    public string? Url { get; set; }

    /// <summary>seller, listing, reviewer; empty: all.</summary>
    public List<string> EntityKinds { get; set; } = [];

    /// <summary>Decisions below this ladder level are not sent (analyst actions always are). 0: every decision.</summary>
    public int MinimumStep { get; set; }

    public string? Secret { get; set; }
}
