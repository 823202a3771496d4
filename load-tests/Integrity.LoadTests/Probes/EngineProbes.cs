using System.Net;
using Integrity.LoadTests.Cli;
using Integrity.LoadTests.Evaluation;

namespace Integrity.LoadTests.Probes;

/// <summary>A probe and a sentence saying where it reads from (for the report).</summary>
public sealed record ChosenProbe(IEngineProbe Probe, string Description);

/// <summary>Picks how to read the engine back from what <c>run</c> was given (see <see cref="EngineAccess.Probe"/>).</summary>
public static class EngineProbes
{
    private const string FromApi = "decisions from the query API (GET /v1/decisions, each decided entity's /history for its triggering events)";
    private const string CountersFromApi = "applied counters from the query API (state.eventsApplied of GET /v1/{kind}/{id})";
    private const string CountersFromStorage = "applied counters from the engine's grain-state table (eventsApplied)";

    public static async Task<ChosenProbe?> CreateAsync(EngineAccess access, Uri target, HttpClient http, LiveDecisionFeed? feed, CancellationToken cancellationToken)
    {
        if (access.Probe == "none") return null;
        var api = access.ViewerKey is { } key && await ServesDecisionsAsync(http, target, key, cancellationToken)
            ? new HttpEngineProbe(http, target, key, feed)
            : null;
        var storage = access.Storage is { } s ? new StorageEngineProbe(s) : null;
        var live = feed is { Connected: true } ? "; publication time = when the harness received the decision on the live feed (GET /v1/decisions/stream)" : "";
        return access.Probe switch
        {
            "storage" => new ChosenProbe(storage!, $"read back from storage: {CountersFromStorage}, decisions from the audit trail (AuditByTime)"),
            "http" => api is null
                ? throw new InvalidOperationException($"--probe http: {target} does not serve GET /v1/decisions to the viewer key")
                : new ChosenProbe(api, $"read back over HTTP: {CountersFromApi}, {FromApi}{live}"),
            _ => (api, storage) switch
            {
                ({ } a, { } st) => new ChosenProbe(new CombinedEngineProbe(st, a), $"read back: {CountersFromStorage}, {FromApi}{live}"),
                ({ } a, null) => new ChosenProbe(a, $"read back over HTTP: {CountersFromApi}, {FromApi}{live}"),
                (null, { } st) => new ChosenProbe(st, $"read back from storage (the engine serves no query API to this key): {CountersFromStorage}, decisions from the audit trail (AuditByTime)"),
                _ => null,
            },
        };
    }

    private static async Task<bool> ServesDecisionsAsync(HttpClient http, Uri target, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target, "/v1/decisions?limit=1"));
        request.Headers.Add("X-Api-Key", key);
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }
}
