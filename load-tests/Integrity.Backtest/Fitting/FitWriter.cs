using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integrity.Domain.Learning;

namespace Integrity.Backtest.Fitting;

/// <summary>What a fit read and decided, for its report.</summary>
internal sealed record FitRun(
    string Input, string Labels, string BaseVersion, string Version, ExampleLevel Level, DateTimeOffset? Until, double L2,
    int LabelledKeys, int MatchedReviews, NoisyOrFit Fit);

/// <summary>
/// The files of a fit: <c>policy.json</c> (a policy file holding the new <c>Version</c> and only the weights that
/// changed, loadable by <see cref="PolicyFile"/>), <c>fit.json</c> and <c>fit.md</c> (per weight: old, new, how many
/// examples it spoke on, positives among them, log-loss before and after; the same overall).
/// </summary>
internal static class FitWriter
{
    /// <summary>Weights are written to 4 decimals, like the reasons' weights; a smaller move is no change.</summary>
    public static double Rounded(double weight) => Math.Round(weight, 4);

    public static bool Changed(FittedWeight w) => Rounded(w.NewWeight) != Rounded(w.OldWeight);

    public static void Write(string dir, FitRun run)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "policy.json"), Policy(run).ToJsonString(Json) + "\n");
        File.WriteAllText(Path.Combine(dir, "fit.json"), JsonSerializer.Serialize(Report(run), Json) + "\n");
        File.WriteAllText(Path.Combine(dir, "fit.md"), Markdown(run));
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonObject Policy(FitRun run)
    {
        var signals = new JsonObject();
        var reviewRisk = new JsonObject();
        foreach (var w in run.Fit.Weights.Where(Changed))
        {
            if (w.Code.StartsWith("ReviewRisk:", StringComparison.Ordinal)) reviewRisk[w.Code["ReviewRisk:".Length..]] = Rounded(w.NewWeight);
            else signals[w.Code] = new JsonObject { ["Weight"] = Rounded(w.NewWeight) };
        }

        var policy = new JsonObject { ["Version"] = run.Version };
        if (signals.Count > 0) policy["Signals"] = signals;
        if (reviewRisk.Count > 0) policy["ReviewRisk"] = reviewRisk;
        return policy;
    }

    private static object Report(FitRun run) => new
    {
        input = Path.GetFullPath(run.Input),
        labels = Path.GetFullPath(run.Labels),
        baseVersion = run.BaseVersion,
        version = run.Version,
        examplesOf = run.Level.ToString().ToLowerInvariant(),
        until = run.Until,
        l2 = run.L2,
        labelledKeys = run.LabelledKeys,
        matchedReviews = run.MatchedReviews,
        examples = run.Fit.Examples,
        positives = run.Fit.Positives,
        baseRateBefore = Math.Round(run.Fit.BaseRateBefore, 6),
        baseRateAfter = Math.Round(run.Fit.BaseRateAfter, 6),
        logLossBefore = Math.Round(run.Fit.LogLossBefore, 6),
        logLossAfter = Math.Round(run.Fit.LogLossAfter, 6),
        iterations = run.Fit.Iterations,
        converged = run.Fit.Converged,
        model = "P(bad) = 1 − (1 − baseRate) · Π(1 − weight·activation); activation = reason weight / rule weight (1 if ungraded)",
        weights = run.Fit.Weights.Select(w => new
        {
            key = w.Code,
            oldWeight = w.OldWeight,
            newWeight = Rounded(w.NewWeight),
            changed = Changed(w),
            activations = w.Activations,
            positives = w.Positives,
            logLossBefore = Math.Round(w.LogLossBefore, 6),
            logLossAfter = Math.Round(w.LogLossAfter, 6),
        }),
    };

    private static string Markdown(FitRun run)
    {
        var f = run.Fit;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {run.Version}: weights fitted from labels, over {run.BaseVersion}");
        md.AppendLine();
        if (run.Level == ExampleLevel.Verdicts)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Analysts' verdicts `{Path.GetFileName(run.Input)}` ({run.LabelledKeys:N0} decisions, each labelled by its latest verdict).");
            md.AppendLine("Every example is a decision the policy took: the fit learns which reasons analysts uphold, not what the policy missed.");
        }
        else
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"History `{Path.GetFileName(run.Input)}`{(run.Until is { } u ? $" up to {u:O}" : "")}, labels `{Path.GetFileName(run.Labels)}` " +
                $"({run.LabelledKeys:N0} labelled, {run.MatchedReviews:N0} matched a replayed review).");
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"Examples: {f.Examples:N0} {run.Level.ToString().ToLowerInvariant()}, {f.Positives:N0} positive. L2 toward the base weights: {run.L2}.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Mean log-loss {f.LogLossBefore:0.0000} → {f.LogLossAfter:0.0000}; base rate {f.BaseRateBefore:0.0000} → {f.BaseRateAfter:0.0000}; " +
            $"{f.Iterations} iterations{(f.Converged ? "" : " (not converged)")}.");
        md.AppendLine();
        md.AppendLine("Model: P(bad) = 1 − (1 − base rate) · Π(1 − weight · activation), activation = the reason's weight / its rule's weight (1 when ungraded): the engine's own noisy-OR score.");
        md.AppendLine();
        md.AppendLine("| weight | old | new | examples it spoke on | positives among them | log-loss there before | after |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var w in f.Weights)
        {
            var mark = Changed(w) ? "**" : "";
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| `{w.Code}` | {w.OldWeight:0.####} | {mark}{Rounded(w.NewWeight):0.####}{mark} | {w.Activations:N0} | {w.Positives:N0} | {(w.Activations == 0 ? "–" : w.LogLossBefore.ToString("0.0000", CultureInfo.InvariantCulture))} | {(w.Activations == 0 ? "–" : w.LogLossAfter.ToString("0.0000", CultureInfo.InvariantCulture))} |");
        }

        md.AppendLine();
        md.AppendLine("`policy.json` holds the new version and the weights in bold only. Adopt it like any policy change: try it as the shadow policy first.");
        return md.ToString();
    }
}
