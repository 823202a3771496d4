using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Integrity.Contracts;

namespace Integrity.Storage.AzureTables.Index;

/// <summary>
/// Row layout of the index tables, chosen so every list is one range query in one partition, read in key order.
/// <list type="bullet">
/// <item>Entities table, partition <c>entity_{kind}</c>, RowKey the id: where each entity stands, and the keys of its list rows.</item>
/// <item>Entities table, partition <c>risk_{kind}</c>, RowKey <c>{9 − level}_{10000 − score×100:D5}_{id}</c>: top risk is the partition's start.</item>
/// <item>Entities table, partition <c>open</c>, RowKey <c>{9 − level}_{10000 − score×100:D5}_{kind}_{id}</c>: cases awaiting an analyst.</item>
/// <item>Decisions table, partition <c>all</c> and <c>{kind}</c>, RowKey <c>{inverted ticks:D19}_{entryId}</c>: newest first.</item>
/// </list>
/// </summary>
internal static class IndexRows
{
    public const string AllScope = "all";
    public const string OpenPartition = "open";

    public static string EntityPartition(string kind) => "entity_" + kind;

    public static string RiskPartition(string kind) => "risk_" + kind;

    public static string RiskKey(RankedEntity e) => $"{Rank(e)}_{TableNameRules.SanitizeKey(e.Id)}";

    public static string OpenKey(RankedEntity e) => $"{Rank(e)}_{e.Kind}_{TableNameRules.SanitizeKey(e.Id)}";

    /// <summary>
    /// Level, then score at the resolution the row shows (<see cref="ShownScore"/>): a key coarser than the score shown
    /// ordered two entities whose scores differed by less than its step by id instead of by score.
    /// </summary>
    private static string Rank(RankedEntity e) =>
        string.Create(CultureInfo.InvariantCulture, $"{9 - Math.Clamp(e.Level, 0, 9)}_{10000 - (int)Math.Round(ShownScore(e.Score) * 100):D5}");

    /// <summary>The score a list row keeps and shows: 0–100 to two decimals, exactly what its rank key orders by.</summary>
    public static double ShownScore(double score) => Math.Round(Math.Clamp(score, 0, 100), 2);

    /// <summary>Sorts newest first; equal prefixes (same instant) are told apart by the entry id after '_'.</summary>
    public static string InvertedTime(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    public static string DecisionKey(AuditRecord record) => $"{InvertedTime(record.OccurredAt)}_{TableNameRules.SanitizeKey(record.EntryId)}";

    /// <summary>'`' sorts just after '_', so <c>InvertedTime(t) + AfterInstant</c> bounds every key of instant t from above.</summary>
    public const string AfterInstant = "`";

    public static TableEntity ToRow(string partition, string rowKey, RankedEntity e, string? riskKey = null, string? openKey = null)
    {
        var row = new TableEntity(partition, rowKey)
        {
            ["Kind"] = e.Kind,
            ["EntityId"] = e.Id,
            ["Level"] = e.Level,
            ["Step"] = e.Step,
            ["Score"] = ShownScore(e.Score),
            ["ReasonCodes"] = string.Join(' ', e.ReasonCodes),
            ["LastEntryId"] = e.LastEntryId,
            ["LastOrigin"] = e.LastOrigin,
            ["UpdatedAt"] = e.UpdatedAt,
            ["OpenedAt"] = e.OpenedAt,
        };
        if (riskKey is not null)
        {
            row["RiskKey"] = riskKey;
        }

        if (openKey is not null)
        {
            row["OpenKey"] = openKey;
        }

        return row;
    }

    public static RankedEntity Ranked(TableEntity row) => new(
        row.GetString("Kind") ?? "",
        row.GetString("EntityId") ?? "",
        row.GetInt32("Level") ?? 0,
        row.GetString("Step") ?? "",
        row.GetDouble("Score") ?? 0,
        Codes(row.GetString("ReasonCodes")),
        row.GetString("LastEntryId") ?? "",
        row.GetString("LastOrigin") ?? "",
        row.GetDateTimeOffset("UpdatedAt") ?? default,
        row.GetDateTimeOffset("OpenedAt"));

    public static TableEntity DecisionRow(string scope, AuditRecord record)
    {
        var d = IndexFold.Summarize(record);
        return new TableEntity(scope, DecisionKey(record))
        {
            ["EntryId"] = d.EntryId,
            ["EntityKind"] = d.EntityKind,
            ["EntityId"] = d.EntityId,
            ["Kind"] = d.Kind,
            ["Origin"] = d.Origin,
            ["OccurredAt"] = d.OccurredAt,
            ["RecordedAt"] = d.RecordedAt,
            ["From"] = d.From,
            ["Step"] = d.Step,
            ["Level"] = d.Level,
            ["Score"] = d.Score,
            ["PolicyVersion"] = d.PolicyVersion,
            ["Actor"] = d.Actor,
            ["Note"] = d.Note,
            ["ReasonCodes"] = string.Join(' ', d.ReasonCodes),
        };
    }

    public static IndexedDecision Decision(TableEntity row) => new(
        row.GetString("EntryId") ?? "",
        row.GetString("EntityKind") ?? "",
        row.GetString("EntityId") ?? "",
        row.GetString("Kind") ?? "",
        row.GetString("Origin"),
        row.GetDateTimeOffset("OccurredAt") ?? default,
        row.GetDateTimeOffset("RecordedAt") ?? default,
        row.GetString("From"),
        row.GetString("Step"),
        row.GetInt32("Level"),
        row.GetDouble("Score"),
        row.GetString("PolicyVersion"),
        row.GetString("Actor"),
        row.GetString("Note"),
        Codes(row.GetString("ReasonCodes")));

    /// <summary>Opaque to clients; names its list so a token cannot be replayed against another one.</summary>
    public static string Continuation(string list, string rowKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"v1|{list}|{rowKey}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string? AfterKey(string list, string? continuation)
    {
        if (string.IsNullOrEmpty(continuation))
        {
            return null;
        }

        try
        {
            var base64 = continuation.Replace('-', '+').Replace('_', '/');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
            var parts = text.Split('|', 3);
            if (parts is ["v1", var l, var key] && l == list && key.Length > 0)
            {
                return key;
            }
        }
        catch (FormatException)
        {
        }

        throw new InvalidContinuationException("The continuation token is not one this list issued; start again without it.");
    }

    private static IReadOnlyList<string> Codes(string? joined) =>
        string.IsNullOrEmpty(joined) ? [] : joined.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
