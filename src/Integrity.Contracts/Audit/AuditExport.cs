using System.Text.Json;

namespace Integrity.Contracts.Audit;

/// <summary>
/// One entity's whole audit trail as <c>GET /v1/{kind}s/{id}/audit/export</c> gives it (JSON; CSV through
/// <see cref="AuditExportCsv"/>): every row with its chain link, the chain head and the hourly digests, so that the
/// verifier can check it away from the engine. Identifiers are as stored: personal ones only as keyed hashes.
/// </summary>
public sealed record AuditExport(
    string Format,
    string EntityKind,
    string EntityId,
    DateTimeOffset ExportedAt,
    string Algorithm,
    ChainHead? Head,
    IReadOnlyList<AuditDigest> Digests,
    IReadOnlyList<AuditExportEntry> Entries,
    AuditVerification Verification)
{
    public const string FormatName = "integrity-audit-export/1";

    /// <summary>Legacy rows (no chain) first as stored, then the chain in order.</summary>
    public static AuditExport Create(AuditTrail trail, DateTimeOffset exportedAt)
    {
        ArgumentNullException.ThrowIfNull(trail);
        var ordered = trail.Entries.Where(e => e.Link is null).Concat(trail.Entries.Where(e => e.Link is not null).OrderBy(e => e.Link!.Seq));
        return new AuditExport(FormatName, trail.EntityKind, trail.EntityId, exportedAt, AuditChain.Algorithm, trail.Head, trail.Digests,
            [.. ordered.Select(AuditExportEntry.From)], AuditChainVerifier.Verify(trail));
    }

    public AuditTrail ToTrail() => new(EntityKind, EntityId, [.. Entries.Select(e => e.ToChained(EntityKind, EntityId))], Head, Digests);

    /// <summary>
    /// Verifies the export as it is now (not the verdict it carries): the chain, and that each row's readable columns
    /// (action, note, reasons, evidence) still say what its hashed details say.
    /// </summary>
    public AuditVerification Verify()
    {
        var trail = ToTrail();
        var readable = Entries
            .Where(e => !AuditExportEntry.SameReadable(e, AuditExportEntry.From(e.ToChained(EntityKind, EntityId))))
            .Select(e => new AuditTamper(AuditChainVerifier.Edited, e.Seq, e.EntryId, $"{(e.Seq is { } s ? $"row {s}" : "a row")}: its readable columns no longer say what its details say"))
            .ToList();
        return AuditChainVerifier.Verify(trail, readable);
    }
}

/// <summary>
/// One row of an export. <see cref="Details"/> is the stored JSON text, byte for byte (it is what is hashed);
/// <see cref="Action"/>, <see cref="Note"/>, <see cref="Reasons"/> and <see cref="EvidenceEventIds"/> are read out of it
/// for people and spreadsheets.
/// </summary>
public sealed record AuditExportEntry(
    long? Seq,
    string? PreviousHash,
    string? Hash,
    string EntryId,
    string Kind,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    string? Step,
    double? Score,
    string? PolicyVersion,
    string? Actor,
    string? Action,
    string? Note,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<string> EvidenceEventIds,
    string Details)
{
    public static AuditExportEntry From(ChainedAuditRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var r = row.Record;
        var (action, note, reasons, evidence) = Readable(r.Kind, r.Details);
        return new AuditExportEntry(row.Link?.Seq, row.Link?.PreviousHash, row.Link?.Hash, r.EntryId, r.Kind, r.OccurredAt, r.RecordedAt,
            r.Step, r.Score, r.PolicyVersion, r.Actor, action, note, reasons, evidence, r.Details);
    }

    public ChainedAuditRecord ToChained(string entityKind, string entityId) => new(
        new AuditRecord(entityKind, entityId, EntryId, Kind, OccurredAt, RecordedAt, Step, Score, PolicyVersion, Actor, Details),
        Seq is { } seq ? new ChainLink(seq, PreviousHash ?? "", Hash ?? "") : null);

    internal static bool SameReadable(AuditExportEntry a, AuditExportEntry b) =>
        a.Action == b.Action && a.Note == b.Note && a.Reasons.SequenceEqual(b.Reasons) && a.EvidenceEventIds.SequenceEqual(b.EvidenceEventIds);

    /// <summary>
    /// What a decision's or an action's details say in words: the origin (<c>automatic</c>, <c>analyst_reverse</c>,
    /// <c>appeal_reversed</c>, …, <c>note</c>, or <c>appeal_filed</c> for a filed appeal), the analyst's note, <c>CODE: message</c> per reason, and every evidence event id (those that
    /// tipped the decision, then each reason's), each once.
    /// </summary>
    private static (string? Action, string? Note, IReadOnlyList<string> Reasons, IReadOnlyList<string> Evidence) Readable(string kind, string details)
    {
        try
        {
            using var doc = JsonDocument.Parse(details);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null, [], []);
            }

            var action = kind switch
            {
                "note" => "note",
                "appeal" => "appeal_filed",
                _ => String(root, "origin") ?? (kind == "decision" ? "automatic" : null),
            };
            var reasons = new List<string>();
            var evidence = new List<string>();
            if (kind == "appeal" && String(root, "eventId") is { } filedBy)
            {
                // A filed appeal's evidence is the platform's appeal.filed event; the step it contests is named in its details.
                evidence.Add(filedBy);
            }

            if (root.TryGetProperty("triggeringEventIds", out var triggers) && triggers.ValueKind == JsonValueKind.Array)
            {
                evidence.AddRange(triggers.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!));
            }

            if (root.TryGetProperty("reasons", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var reason in list.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object))
                {
                    reasons.Add($"{String(reason, "code")}: {String(reason, "message")}");
                    if (reason.TryGetProperty("eventIds", out var ids) && ids.ValueKind == JsonValueKind.Array)
                    {
                        evidence.AddRange(ids.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!));
                    }
                }
            }

            return (action, String(root, "note"), reasons, [.. evidence.Distinct(StringComparer.Ordinal)]);
        }
        catch (JsonException)
        {
            return (null, null, [], []);
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
