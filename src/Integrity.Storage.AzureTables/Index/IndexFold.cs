using System.Text.Json;
using Integrity.Contracts;

namespace Integrity.Storage.AzureTables.Index;

/// <summary>
/// Where an entity stands in the lists, derived from its audit records alone: every decision and action carries the
/// level it moved to and the score at the time. A step-up made by the policy opens a case; an analyst's confirm,
/// reverse, reinstate, override or appeal outcome closes it (a note does not). Pure, so the index writer only persists its result.
/// </summary>
public static class IndexFold
{
    /// <summary>What one audit record says about the entity (null for a record that does not move it, e.g. a note).</summary>
    public sealed record Movement(int FromLevel, int ToLevel, string Step, double Score, string Origin, IReadOnlyList<string> ReasonCodes);

    public static RankedEntity? Apply(RankedEntity? current, AuditRecord record)
    {
        if (Read(record) is not { } move)
        {
            return current;
        }

        var opensCase = move.Origin == "automatic" && move.ToLevel > move.FromLevel;
        var closesCase = move.Origin is "analyst_confirm" or "analyst_reverse" or "analyst_reinstate" or "analyst_override"
            or "appeal_upheld" or "appeal_reversed" or "appeal_partly";
        var openedAt = opensCase ? current?.OpenedAt ?? record.RecordedAt : closesCase ? null : current?.OpenedAt;
        return new RankedEntity(record.EntityKind, record.EntityId, move.ToLevel, move.Step, move.Score, move.ReasonCodes,
            record.EntryId, move.Origin, record.RecordedAt, openedAt);
    }

    /// <summary>Reads the decision serialized in <see cref="AuditRecord.Details"/> (the domain's JSON shape).</summary>
    public static Movement? Read(AuditRecord record)
    {
        if (record.Kind is not ("decision" or "action"))
        {
            return null;
        }

        try
        {
            using var details = JsonDocument.Parse(record.Details);
            var root = details.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("toLevel", out var to) || to.ValueKind != JsonValueKind.Number)
            {
                return null;
            }

            var from = root.TryGetProperty("fromLevel", out var f) && f.ValueKind == JsonValueKind.Number ? f.GetInt32() : 0;
            var origin = root.TryGetProperty("origin", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : "automatic";
            return new Movement(from, to.GetInt32(), record.Step ?? "", record.Score ?? 0, origin, ReasonCodes(root));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The audit record as lists and the live feed show it: no evidence lists, no state, only what a row needs.</summary>
    public static IndexedDecision Summarize(AuditRecord record)
    {
        string? from = null, origin = null, note = null;
        int? level = null;
        IReadOnlyList<string> codes = [];
        try
        {
            using var details = JsonDocument.Parse(record.Details);
            var root = details.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                from = Text("from");
                origin = Text("origin");
                note = Text("note");
                level = root.TryGetProperty("toLevel", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetInt32() : null;
                codes = ReasonCodes(root);
            }
        }
        catch (JsonException)
        {
            // An unreadable detail still lists, without its summary.
        }

        return new IndexedDecision(record.EntryId, record.EntityKind, record.EntityId, record.Kind, origin ?? (record.Kind == "note" ? "note" : null),
            record.OccurredAt, record.RecordedAt, from, record.Step, level, record.Score, record.PolicyVersion, record.Actor, note, codes);
    }

    /// <summary>Codes of the reasons that counted (weight above zero), strongest first, as the lists show them.</summary>
    public static IReadOnlyList<string> ReasonCodes(JsonElement decision)
    {
        if (!decision.TryGetProperty("reasons", out var reasons) || reasons.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. reasons.EnumerateArray()
            .Where(r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String)
            .Select(r => (Code: r.GetProperty("code").GetString()!, Weight: r.TryGetProperty("weight", out var w) && w.ValueKind == JsonValueKind.Number ? w.GetDouble() : 0))
            .Where(r => r.Weight > 0)
            .OrderByDescending(r => r.Weight)
            .Select(r => r.Code)
            .Distinct(StringComparer.Ordinal)];
    }
}
