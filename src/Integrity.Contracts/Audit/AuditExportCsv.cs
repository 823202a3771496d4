using System.Globalization;
using System.Text;

namespace Integrity.Contracts.Audit;

/// <summary>
/// The CSV form of an <see cref="AuditExport"/> (RFC 4180, a header line, <c>\r\n</c> between records). Column
/// <c>record</c> says what a line is: <c>entry</c> (a row of the trail), <c>head</c> (the chain head: seq and hash) or
/// <c>digest</c> (an hourly digest: hour, seq and hash). A null is an empty unquoted field, an empty text a quoted
/// <c>""</c>, so that what is hashed reads back exactly. Lists (reasons, evidence) are one per line inside their field.
/// Times are UTC with seven decimals; scores the shortest round-trip decimal.
/// </summary>
public static class AuditExportCsv
{
    public const string ContentType = "text/csv";

    private static readonly string[] Header =
    [
        "record", "entity_kind", "entity_id", "seq", "previous_hash", "hash", "hour", "entry_id", "kind", "occurred_at", "recorded_at",
        "step", "score", "policy_version", "actor", "action", "note", "reasons", "evidence_event_ids", "details",
    ];

    public static string Write(AuditExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        var text = new StringBuilder();
        Line(text, Header);
        foreach (var e in export.Entries)
        {
            Line(text, "entry", export.EntityKind, export.EntityId, Number(e.Seq), e.PreviousHash, e.Hash, null, e.EntryId, e.Kind,
                AuditChain.Timestamp(e.OccurredAt), AuditChain.Timestamp(e.RecordedAt), e.Step, e.Score?.ToString("R", CultureInfo.InvariantCulture),
                e.PolicyVersion, e.Actor, e.Action, e.Note, string.Join('\n', e.Reasons), string.Join('\n', e.EvidenceEventIds), e.Details);
        }

        if (export.Head is { } head)
        {
            Line(text, "head", export.EntityKind, export.EntityId, Number(head.Seq), null, head.Hash);
        }

        foreach (var d in export.Digests)
        {
            Line(text, "digest", d.EntityKind, d.EntityId, Number(d.Seq), null, d.Hash, d.Hour);
        }

        return text.ToString();
    }

    /// <summary>Reads an export written by <see cref="Write"/>; <see cref="FormatException"/> names the line that is not.</summary>
    public static AuditExport Read(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var lines = Parse(csv);
        if (lines.Count == 0 || !lines[0].Select(f => f.Value).SequenceEqual(Header))
        {
            throw new FormatException($"Not an audit export: the first line must be the header {string.Join(',', Header)}.");
        }

        string? kind = null, id = null;
        ChainHead? head = null;
        var digests = new List<AuditDigest>();
        var entries = new List<AuditExportEntry>();
        for (var i = 1; i < lines.Count; i++)
        {
            var f = lines[i];
            if (f.Count != Header.Length)
            {
                throw new FormatException($"Line {i + 1} has {f.Count} fields; the header has {Header.Length}.");
            }

            string? Get(string column) => f[Array.IndexOf(Header, column)].Value;
            string Need(string column) => Get(column) ?? throw new FormatException($"Line {i + 1}: {column} is empty.");
            kind ??= Get("entity_kind");
            id ??= Get("entity_id");
            switch (Get("record"))
            {
                case "entry":
                    entries.Add(new AuditExportEntry(OptionalNumber(Get("seq"), i), Get("previous_hash"), Get("hash"), Need("entry_id"), Need("kind"),
                        Time(Need("occurred_at"), i), Time(Need("recorded_at"), i), Get("step"),
                        Get("score") is { } score ? double.Parse(score, NumberStyles.Float, CultureInfo.InvariantCulture) : null,
                        Get("policy_version"), Get("actor"), Get("action"), Get("note"), List(Get("reasons")), List(Get("evidence_event_ids")), Need("details")));
                    break;
                case "head":
                    head = new ChainHead(OptionalNumber(Need("seq"), i)!.Value, Need("hash"));
                    break;
                case "digest":
                    digests.Add(new AuditDigest(Need("hour"), Need("entity_kind"), Need("entity_id"), OptionalNumber(Need("seq"), i)!.Value, Need("hash")));
                    break;
                default:
                    throw new FormatException($"Line {i + 1}: record must be entry, head or digest.");
            }
        }

        var export = new AuditExport(AuditExport.FormatName, kind ?? "", id ?? "", default, AuditChain.Algorithm, head, digests, entries, null!);
        return export with { Verification = export.Verify() };
    }

    private static string? Number(long? n) => n?.ToString(CultureInfo.InvariantCulture);

    private static long? OptionalNumber(string? text, int line) =>
        text is null ? null
        : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
        : throw new FormatException($"Line {line + 1}: '{text}' is not a whole number.");

    private static DateTimeOffset Time(string text, int line) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new FormatException($"Line {line + 1}: '{text}' is not a time.");

    private static IReadOnlyList<string> List(string? text) => string.IsNullOrEmpty(text) ? [] : text.Split('\n');

    private static void Line(StringBuilder text, params string?[] fields)
    {
        for (var i = 0; i < Header.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            var value = i < fields.Length ? fields[i] : null;
            if (value is null)
            {
                continue;
            }

            text.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }

        text.Append("\r\n");
    }

    /// <summary>RFC 4180 fields, each with whether it was quoted (an unquoted empty field is a null).</summary>
    private static List<List<(string? Value, bool Quoted)>> Parse(string csv)
    {
        var lines = new List<List<(string?, bool)>>();
        var line = new List<(string?, bool)>();
        var field = new StringBuilder();
        var quoted = false;
        var i = 0;
        void EndField()
        {
            line.Add((quoted || field.Length > 0 ? field.ToString() : null, quoted));
            field.Clear();
            quoted = false;
        }

        while (i < csv.Length)
        {
            var c = csv[i];
            if (c == '"' && field.Length == 0 && !quoted)
            {
                quoted = true;
                i++;
                while (true)
                {
                    if (i >= csv.Length)
                    {
                        throw new FormatException($"Line {lines.Count + 1}: a quoted field is not closed.");
                    }

                    if (csv[i] == '"')
                    {
                        if (i + 1 < csv.Length && csv[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(csv[i++]);
                }

                continue;
            }

            if (c == ',')
            {
                EndField();
                i++;
            }
            else if (c is '\r' or '\n')
            {
                EndField();
                lines.Add(line);
                line = [];
                i += c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n' ? 2 : 1;
            }
            else
            {
                field.Append(c);
                i++;
            }
        }

        if (field.Length > 0 || quoted || line.Count > 0)
        {
            EndField();
            lines.Add(line);
        }

        return lines;
    }
}
