using System.Globalization;
using System.Text;
using Integrity.LoadTests.Evaluation;

namespace Integrity.LoadTests.Reports;

/// <summary>The human half of the report: what ran, how fast, how the engine judged it, and the chart.</summary>
public static class MarkdownReport
{
    public static string Render(RunReport r, string chartFile)
    {
        var md = new StringBuilder();
        var t = r.Totals;
        var s = r.Settings;
        md.AppendLine("# Integrity load test report").AppendLine();
        md.AppendLine(Inv($"Run {r.StartedAt:yyyy-MM-dd HH:mm:ss}Z → {r.FinishedAt:HH:mm:ss}Z against `{s.Target}`{(r.SelfHosted ? " (self-hosted: the harness started Azurite and the host process)" : "")} on {r.Machine.ProcessorCount} cores, {r.Machine.OperatingSystem}, .NET {r.Machine.Runtime}."));
        md.AppendLine();
        md.AppendLine(Inv($"Source: {s.Source}") + (s.Seed is { } seed ? Inv($" (seed {seed}, {s.Sellers} honest sellers, fraud rate {s.FraudRate}, {s.SpanDays} days of event time)") : "") + ".");
        md.AppendLine(Inv($"Settings: concurrency {s.Concurrency}, rate {(s.Rate is { } rate ? rate.ToString("N0", CultureInfo.InvariantCulture) + " ev/s" : "max")}, batch {s.Batch}{(s.Gzip ? " (gzip)" : "")}, events {(s.MaxEvents?.ToString("N0", CultureInfo.InvariantCulture) ?? "all")}, duration limit {s.DurationLimitSeconds:0} s, retries {s.MaxRetries}."));
        md.AppendLine();

        md.AppendLine("## Throughput").AppendLine();
        md.AppendLine("| | value |").AppendLine("|---|---:|");
        md.AppendLine(Inv($"| events in the stream | {r.StreamEvents:N0} |"));
        md.AppendLine(Inv($"| events sent | {t.EventsSent:N0} |"));
        md.AppendLine(Inv($"| accepted (202, not rejected) | {t.EventsAccepted:N0} |"));
        md.AppendLine(Inv($"| rejected lines | {t.EventsRejected:N0} |"));
        md.AppendLine(Inv($"| given up (503/429 after all retries, or 4xx) | {t.EventsGivenUp:N0} |"));
        md.AppendLine(Inv($"| uncertain (no answer) | {t.EventsUncertain:N0} |"));
        md.AppendLine(Inv($"| not sent (duration reached) | {t.EventsNotSent:N0} |"));
        md.AppendLine(Inv($"| sending time | {r.SendSeconds:0.0} s |"));
        md.AppendLine(Inv($"| **events/s sent** | **{r.EventsPerSecondSent:N0}** |"));
        md.AppendLine(Inv($"| **events/s accepted** | **{r.EventsPerSecondAccepted:N0}** |"));
        md.AppendLine(Inv($"| requests / retries / transport errors | {t.Requests:N0} / {t.Retries:N0} / {t.TransportErrors:N0} |"));
        md.AppendLine(Inv($"| status codes | {string.Join(", ", t.StatusCodes.Select(p => $"{p.Key}: {p.Value:N0}"))} |"));
        if (t.AnswerMismatches > 0) md.AppendLine(Inv($"| 202 answers whose counts disagree with the batch | {t.AnswerMismatches:N0} |"));
        md.AppendLine();

        var l = r.IngestLatency;
        md.AppendLine("## Ingest latency (per request, HdrHistogram)").AppendLine();
        md.AppendLine("| requests | p50 | p90 | p99 | p99.9 | max | mean |").AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        md.AppendLine(Inv($"| {l.Count:N0} | {l.P50Ms:0.00} ms | {l.P90Ms:0.00} ms | {l.P99Ms:0.00} ms | {l.P999Ms:0.00} ms | {l.MaxMs:0.00} ms | {l.MeanMs:0.00} ms |"));
        md.AppendLine();
        md.AppendLine($"![throughput and p99 latency per second]({chartFile})").AppendLine();
        md.AppendLine("![ingest latency by percentile](latency.svg)").AppendLine();

        if (t.RejectCodes.Count > 0)
        {
            md.AppendLine("## Rejected lines").AppendLine();
            md.AppendLine(string.Join(", ", t.RejectCodes.Select(p => Inv($"`{p.Key}`: {p.Value:N0}")))).AppendLine();
            foreach (var sample in r.RejectionSamples) md.AppendLine($"- {sample}");
            md.AppendLine();
        }

        md.AppendLine("## Ledger (what the engine must apply)").AppendLine();
        md.AppendLine(Inv($"{r.LedgerAccepted:N0} events accepted, {r.LedgerUncertain:N0} uncertain. Per entity kind:")).AppendLine();
        md.AppendLine("| kind | entities | event applications |").AppendLine("|---|---:|---:|");
        foreach (var (kind, count) in r.LedgerPerKind) md.AppendLine(Inv($"| {kind} | {count.Entities:N0} | {count.Events:N0} |"));
        md.AppendLine();

        if (r.Applied is { } a)
        {
            md.AppendLine("## Engine throughput (applied)").AppendLine();
            md.AppendLine(a.Settled
                ? Inv($"The engine applied all {a.EventsAccepted:N0} accepted events {a.SecondsToApply:0.0} s after the first request, {a.SecondsAfterLastSend:0.0} s after the last answer: **{a.EventsPerSecond:N0} events/s applied** ({a.How}).")
                : Inv($"The engine had not applied everything {a.SecondsAfterLastSend:0.0} s after the last answer: {a.How}."));
            md.AppendLine();
        }

        if (r.Engine is { } e)
        {
            Engine(md, e);
            if (r.EngineNote is { Length: > 0 } how) md.AppendLine($"Engine results {how}.").AppendLine();
        }
        else
        {
            md.AppendLine("## Engine-side results").AppendLine().AppendLine($"Not measured: {r.EngineNote}").AppendLine();
        }
        return md.ToString();
    }

    private static void Engine(StringBuilder md, EngineEvaluation e)
    {
        var c = e.Ledger;
        md.AppendLine("## Exactly-once ledger check").AppendLine();
        md.AppendLine(Inv($"**{(c.Passed ? "PASSED" : "FAILED")}**: {c.EntitiesMatching:N0} of {c.EntitiesChecked:N0} entities match; {c.EventsExpected:N0} applications expected, {c.EventsApplied:N0} applied; {c.MissingApplications:N0} missing, {c.ExtraApplications:N0} extra (after {e.SettleRounds} read(s))."));
        md.AppendLine();
        foreach (var d in c.Discrepancies.Take(20)) md.AppendLine(Inv($"- {d.Kind}/{d.Id}: accepted {d.Accepted}, uncertain {d.Uncertain}, applied {d.Applied}: {d.Problem}"));
        foreach (var id in c.MissingEventIds.Take(10)) md.AppendLine($"- missing {id}");
        foreach (var id in c.UnexpectedEventIds.Take(10)) md.AppendLine($"- unexpected {id}");
        md.AppendLine();

        var d2 = e.Detection;
        md.AppendLine("## Detection quality").AppendLine();
        md.AppendLine(Inv($"An entity counts as acted on at ladder level ≥ {d2.MinimumLevel}. Overall precision {Pct(d2.Precision)} ({d2.FraudulentActedOn} of {d2.EntitiesActedOn} acted on were fraudulent), recall {Pct(d2.Recall)} ({d2.CulpritsDetected} of {d2.Culprits} culprits)."));
        md.AppendLine();
        md.AppendLine("| pattern | culprits | detected | recall | precision (by reason) | time to detect p50 / p90 / max |").AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var p in d2.Patterns)
        {
            var ttd = p.TimeToDetect is { } x ? $"{Duration(x.MedianSeconds)} / {Duration(x.P90Seconds)} / {Duration(x.MaxSeconds)}" : "–";
            md.AppendLine(Inv($"| {p.Pattern} | {p.Culprits} | {p.Detected} | {Pct(p.Recall)} | {Pct(p.Precision)} | {ttd} |"));
        }

        md.AppendLine();
        md.AppendLine("![recall and precision per pattern](detection.svg)").AppendLine();
        foreach (var p in d2.Patterns.Where(p => p.Missed.Count > 0))
        {
            md.AppendLine(Inv($"- {p.Pattern} missed: {string.Join(", ", p.Missed.Take(10))}{(p.Missed.Count > 10 ? $" and {p.Missed.Count - 10} more" : "")}"));
        }

        md.AppendLine();
        md.AppendLine(Inv($"### False positives ({d2.FalsePositives.Count})")).AppendLine();
        foreach (var f in d2.FalsePositives.Take(50))
        {
            md.AppendLine(Inv($"- {f.Kind}/{f.Id}{(f.IsProtectedVictim ? " (defamation victim)" : "")}: {f.HighestStep} — {string.Join(", ", f.ReasonCodes)}"));
        }

        md.AppendLine();
        md.AppendLine("### Decisions per kind").AppendLine();
        foreach (var (kind, steps) in d2.DecisionsPerKind) md.AppendLine(Inv($"- {kind}: {string.Join(", ", steps.Select(s => $"{s.Key} {s.Value}"))}"));
        md.AppendLine();
        if (e.EventToDecision is { } lat)
        {
            md.AppendLine(Inv($"Event-to-decision latency over {lat.Count:N0} decisions: p50 {lat.P50Ms:0.0} ms, p99 {lat.P99Ms:0.0} ms, max {lat.MaxMs:0.0} ms.")).AppendLine();
        }
    }

    private static string Pct(double? value) => value is { } v ? Inv($"{v * 100:0.0}%") : "n/a";

    private static string Duration(double seconds) => seconds switch
    {
        < 120 => Inv($"{seconds:0} s"),
        < 7200 => Inv($"{seconds / 60:0.#} min"),
        _ => Inv($"{seconds / 3600:0.#} h"),
    };

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
