using System.Globalization;
using System.Net;
using System.Text.Json;
using Integrity.Harness.Ledger;
using Integrity.LoadTests.Evaluation;
using Integrity.Harness.Market;

namespace Integrity.LoadTests.Probes;

/// <summary>
/// The engine read back over its query API with a viewer key: <c>GET /v1/{sellers|listings|reviewers}/{id}</c> (the
/// entity's <c>state.eventsApplied</c>), <c>GET /v1/decisions</c> paged (every decision and action), and each decided
/// entity's <c>/history</c> for the events that triggered its decisions. When the live feed was recorded during the
/// run, a decision's publication time is when the harness received it on <c>/v1/decisions/stream</c>; otherwise the
/// engine's own record time.
/// </summary>
public sealed class HttpEngineProbe(HttpClient http, Uri target, string viewerKey, LiveDecisionFeed? feed = null) : IEngineProbe
{
    public const int PageSize = 200;
    private const int Parallelism = 8;

    private static readonly IReadOnlyDictionary<EntityKind, string[]> Ladders = new Dictionary<EntityKind, string[]>
    {
        [EntityKind.Seller] = ["None", "Warning", "NewListingsBlocked", "PayoutsHeld", "Suspended", "Closed"],
        [EntityKind.Listing] = ["None", "Flagged", "Suppressed", "Removed"],
        [EntityKind.Reviewer] = ["None", "DownWeighted", "ReviewsHidden", "Restricted"],
    };

    public static string Plural(EntityKind kind) => kind switch
    {
        EntityKind.Seller => "sellers",
        EntityKind.Listing => "listings",
        EntityKind.Reviewer => "reviewers",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "The query API serves sellers, listings and reviewers."),
    };

    public async Task<EntityCounters?> GetEntityAsync(EntityKind kind, string id, CancellationToken cancellationToken)
    {
        if (!EvaluationScope.CountedKinds.Contains(kind)) return null;
        using var json = await GetJsonAsync($"/v1/{Plural(kind)}/{Uri.EscapeDataString(id)}", cancellationToken);
        if (json is null) return null;
        var state = json.RootElement.GetProperty("state");
        return new EntityCounters(kind, id, state.TryGetProperty("eventsApplied", out var applied) ? applied.GetInt64() : 0);
    }

    public async IAsyncEnumerable<DecisionInfo> GetDecisionsAsync(DateTimeOffset since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var summaries = await ListAsync(since, cancellationToken);
        var triggers = await TriggersAsync(summaries.Select(s => (s.Kind, s.EntityId)).Distinct().ToList(), cancellationToken);
        foreach (var s in summaries)
        {
            var published = feed?.ReceivedAt(s.EntryId) ?? s.RecordedAt;
            yield return new DecisionInfo(s.EntryId, s.Kind, s.EntityId, s.Step, s.Level, s.Level > s.FromLevel, s.OccurredAt, s.ReasonCodes,
                triggers.GetValueOrDefault(s.EntryId) ?? [], published, s.Origin);
        }
    }

    private sealed record Summary(string EntryId, EntityKind Kind, string EntityId, string Step, int Level, int FromLevel, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, string Origin, IReadOnlyList<string> ReasonCodes);

    /// <summary>Every decision and analyst action (notes aside), all pages of <c>GET /v1/decisions</c>.</summary>
    private async Task<List<Summary>> ListAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var result = new List<Summary>();
        string? continuation = null;
        var from = since == DateTimeOffset.MinValue ? "" : "&from=" + Uri.EscapeDataString(since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        for (var page = 0; page < 100_000; page++)
        {
            var path = $"/v1/decisions?limit={PageSize}{from}" + (continuation is null ? "" : "&continuation=" + Uri.EscapeDataString(continuation));
            using var json = await GetJsonAsync(path, cancellationToken) ?? throw new InvalidOperationException($"GET {path} answered 404");
            foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
            {
                if (Read(item) is { } s) result.Add(s);
            }

            continuation = json.RootElement.TryGetProperty("continuation", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (continuation is null) break;
        }

        return result;
    }

    private static Summary? Read(JsonElement item)
    {
        var recordKind = Str(item, "kind");
        if (recordKind is not ("decision" or "action")) return null;
        if (DecisionJson.ParseKind(Str(item, "entityKind")) is not { } kind || !Ladders.TryGetValue(kind, out var ladder)) return null;
        if (!item.TryGetProperty("level", out var l) || l.ValueKind != JsonValueKind.Number) return null;
        var level = l.GetInt32();
        var fromIndex = Array.IndexOf(ladder, Str(item, "from") ?? "None");
        var codes = item.TryGetProperty("reasonCodes", out var rc) && rc.ValueKind == JsonValueKind.Array
            ? rc.EnumerateArray().Select(x => x.GetString()).OfType<string>().ToList()
            : [];
        return new Summary(Str(item, "entryId") ?? "", kind, Str(item, "entityId") ?? "", Str(item, "step") ?? "", level, fromIndex < 0 ? level - 1 : fromIndex,
            item.GetProperty("occurredAt").GetDateTimeOffset(), item.GetProperty("recordedAt").GetDateTimeOffset(), Str(item, "origin") ?? DecisionInfo.Automatic, codes);
    }

    /// <summary>Per decision id, the events that triggered it, from each decided entity's audit history.</summary>
    private async Task<Dictionary<string, IReadOnlyList<string>>> TriggersAsync(List<(EntityKind Kind, string Id)> entities, CancellationToken cancellationToken)
    {
        var result = new System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(entities, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (entity, ct) =>
        {
            using var json = await GetJsonAsync($"/v1/{Plural(entity.Kind)}/{Uri.EscapeDataString(entity.Id)}/history", ct);
            if (json is null || !json.RootElement.TryGetProperty("entries", out var entries)) return;
            foreach (var entry in entries.EnumerateArray())
            {
                if (!entry.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Object) continue;
                if (details.TryGetProperty("triggeringEventIds", out var t) && t.ValueKind == JsonValueKind.Array && Str(entry, "entryId") is { } id)
                {
                    result[id] = t.EnumerateArray().Select(x => x.GetString()).OfType<string>().ToList();
                }
            }
        });
        return new Dictionary<string, IReadOnlyList<string>>(result, StringComparer.Ordinal);
    }

    /// <summary>The JSON body of a 200, null on 404; anything else fails with the status (retried a few times on 5xx/429).</summary>
    private async Task<JsonDocument?> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target, path));
            request.Headers.Add("X-Api-Key", viewerKey);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            using var response = await http.SendAsync(request, timeout.Token);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            if (response.StatusCode == HttpStatusCode.OK) return JsonDocument.Parse(await response.Content.ReadAsStreamAsync(timeout.Token));
            if (attempt < 5 && (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500 * (attempt + 1)), cancellationToken);
                continue;
            }

            throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(timeout.Token)}", null, response.StatusCode);
        }
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>
/// Applied counters from one source and decisions from another: in a self-hosted run, counters from the grain-state
/// table (one scan instead of a request per entity) and decisions through the query API.
/// </summary>
public sealed class CombinedEngineProbe(IBulkEngineProbe counters, IEngineProbe decisions) : IBulkEngineProbe
{
    public Task<EntityCounters?> GetEntityAsync(EntityKind kind, string id, CancellationToken cancellationToken) => counters.GetEntityAsync(kind, id, cancellationToken);

    public Task<IReadOnlyDictionary<EntityKey, EntityCounters>> GetAllEntitiesAsync(CancellationToken cancellationToken) => counters.GetAllEntitiesAsync(cancellationToken);

    public IAsyncEnumerable<DecisionInfo> GetDecisionsAsync(DateTimeOffset since, CancellationToken cancellationToken) => decisions.GetDecisionsAsync(since, cancellationToken);
}
