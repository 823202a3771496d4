using System.Text.Json;
using Integrity.LoadTests.Evaluation;
using Integrity.Harness.Market;

namespace Integrity.LoadTests.Probes;

/// <summary>
/// Reads the engine's decision JSON (the domain's <c>Decision</c> as audited and streamed: camelCase, enums as
/// snake_case strings) into the harness's <see cref="DecisionInfo"/>, without depending on the domain assembly.
/// </summary>
public static class DecisionJson
{
    /// <summary>Null when the JSON is not a decision (a note, a score change).</summary>
    public static DecisionInfo? Read(JsonElement d, DateTimeOffset? publishedAt)
    {
        if (d.ValueKind != JsonValueKind.Object || !d.TryGetProperty("decisionId", out var id) || !d.TryGetProperty("toLevel", out var toLevel)) return null;
        if (ParseKind(Str(d, "entityKind")) is not { } kind) return null;
        var fromLevel = d.TryGetProperty("fromLevel", out var f) ? f.GetInt32() : 0;
        var origin = Str(d, "origin") ?? DecisionInfo.Automatic;
        var reasons = d.TryGetProperty("reasons", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : Str(x, "code")).OfType<string>().ToList()
            : [];
        var reasonCodes = d.TryGetProperty("reasonCodes", out var rc) && rc.ValueKind == JsonValueKind.Array
            ? rc.EnumerateArray().Select(x => x.GetString()).OfType<string>().ToList()
            : [];
        var triggers = d.TryGetProperty("triggeringEventIds", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Select(x => x.GetString()).OfType<string>().ToList()
            : [];
        return new DecisionInfo(
            id.GetString() ?? "",
            kind,
            Str(d, "entityId") ?? "",
            Str(d, "to") ?? Str(d, "step") ?? "",
            toLevel.GetInt32(),
            toLevel.GetInt32() > fromLevel,
            d.TryGetProperty("at", out var at) ? at.GetDateTimeOffset() : default,
            reasons.Count > 0 ? reasons : reasonCodes,
            triggers,
            publishedAt,
            origin);
    }

    public static EntityKind? ParseKind(string? kind) => kind switch
    {
        "seller" => EntityKind.Seller,
        "listing" => EntityKind.Listing,
        "reviewer" => EntityKind.Reviewer,
        "brand" => EntityKind.Brand,
        "category" => EntityKind.Category,
        _ => null,
    };

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
