using System.Globalization;
using System.Text;
using System.Text.Json;
using Integrity.Domain.Policy;

namespace Integrity.Backtest.Output;

/// <summary>Two policies replayed on one history: what was read, and the comparison (the same report the live API gives).</summary>
internal sealed record BacktestComparison(
    string ActiveVersion, string CandidateVersion, string Input, int Events, int Rejected, DateTimeOffset? From, DateTimeOffset? To, PolicyComparisonReport Report);

/// <summary>
/// <c>comparison.json</c>: the fields of <c>GET /v1/policy/compare</c> (<c>activeVersion</c>, <c>candidateVersion</c>,
/// <c>active</c>, <c>candidate</c>, <c>both</c>, <c>onlyActive</c>, <c>onlyCandidate</c>, <c>byEntityKind</c>,
/// <c>byReason</c>, <c>examples</c>), <c>from</c>/<c>to</c> being the history's first and last event times; and
/// <c>comparison.md</c>, the same as tables.
/// </summary>
internal static class ComparisonWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Write(string dir, BacktestComparison c)
    {
        Directory.CreateDirectory(dir);
        var r = c.Report;
        var json = new
        {
            input = Path.GetFullPath(c.Input),
            events = c.Events,
            rejected = c.Rejected,
            from = c.From,
            to = c.To,
            activeVersion = c.ActiveVersion,
            candidateVersion = c.CandidateVersion,
            r.Active,
            r.Candidate,
            r.Both,
            r.OnlyActive,
            r.OnlyCandidate,
            r.ByEntityKind,
            r.ByReason,
            examples = new { both = r.BothExamples, onlyActive = r.OnlyActiveExamples, onlyCandidate = r.OnlyCandidateExamples },
        };
        File.WriteAllText(Path.Combine(dir, "comparison.json"), JsonSerializer.Serialize(json, Json) + "\n");
        File.WriteAllText(Path.Combine(dir, "comparison.md"), Markdown(c));
    }

    private static string Markdown(BacktestComparison c)
    {
        var r = c.Report;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {c.CandidateVersion} against {c.ActiveVersion}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{c.Events:N0} events ({c.Rejected:N0} lines rejected) of `{Path.GetFileName(c.Input)}`, {c.From:yyyy-MM-dd} to {c.To:yyyy-MM-dd}.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Decisions: {c.ActiveVersion} {r.Active:N0}, {c.CandidateVersion} {r.Candidate:N0}; both {r.Both:N0}, only {c.ActiveVersion} {r.OnlyActive:N0}, only {c.CandidateVersion} {r.OnlyCandidate:N0}.");
        Table(md, "Per entity kind", "kind", r.ByEntityKind);
        Table(md, "Per reason code", "reason", r.ByReason);
        Examples(md, $"Only {c.CandidateVersion}", r.OnlyCandidateExamples);
        Examples(md, $"Only {c.ActiveVersion}", r.OnlyActiveExamples);
        return md.ToString();
    }

    private static void Table(StringBuilder md, string title, string key, IReadOnlyList<ComparisonRow> rows)
    {
        md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## {title}").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"| {key} | active | candidate | both | only active | only candidate | difference |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var x in rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| `{x.Key}` | {x.Active} | {x.Candidate} | {x.Both} | {x.OnlyActive} | {x.OnlyCandidate} | {x.Difference:+0;-0;0} |");
        }
    }

    private static void Examples(StringBuilder md, string title, IReadOnlyList<ComparisonExample> examples)
    {
        md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## {title}").AppendLine();
        foreach (var e in examples)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {e.EntityKind} `{e.EntityId}` → {e.Step} ({string.Join(", ", e.ReasonCodes)}) at {e.At:O}");
        }
    }
}
