using System.Text.Json;
using Integrity.Domain.Learning;
using Integrity.Domain.Policy;

namespace Integrity.Backtest.Fitting;

/// <summary>One analyst's verdict on a policy decision, as <c>GET /v1/reports/verdicts</c> lists it.</summary>
internal sealed record VerdictLabel(string EntityKind, string EntityId, string DecisionId, bool Positive, IReadOnlyDictionary<string, double> Reasons);

/// <summary>
/// Analysts' verdicts saved from <c>GET /v1/reports/verdicts</c> (its whole JSON answer, or just its <c>verdicts</c>
/// array): each a decision that stood (<c>positive</c> true) or was undone, with the weight each reason carried in it.
/// </summary>
internal static class VerdictsFile
{
    /// <exception cref="InvalidDataException">No such file, not JSON, no verdicts, a verdict without its decision id, label or reasons; the message names the file and the verdict.</exception>
    public static List<VerdictLabel> Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: no such file");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not JSON ({ex.Message})");
        }

        using (doc)
        {
            var root = doc.RootElement;
            var array = root.ValueKind == JsonValueKind.Array ? root
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("verdicts", out var v) && v.ValueKind == JsonValueKind.Array ? v
                : throw new InvalidDataException($"{path}: expected the answer of GET /v1/reports/verdicts (an object with a \"verdicts\" array) or that array");
            var labels = new List<VerdictLabel>();
            var i = 0;
            foreach (var item in array.EnumerateArray())
            {
                var where = $"{path}: verdicts[{i++}]";
                if (item.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where}: expected an object");
                var decision = Text(item, "decisionId", where);
                if (!item.TryGetProperty("positive", out var positive) || positive.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw new InvalidDataException($"{where} ({decision}): \"positive\" must be true (the decision stood) or false (it was undone)");
                }

                if (!item.TryGetProperty("reasons", out var reasons) || reasons.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidDataException($"{where} ({decision}): \"reasons\" must be an object of reason code → weight");
                }

                var weights = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var reason in reasons.EnumerateObject())
                {
                    if (reason.Value.ValueKind != JsonValueKind.Number || reason.Value.GetDouble() is < 0 or > 1)
                    {
                        throw new InvalidDataException($"{where} ({decision}): reasons.{reason.Name} must be a weight within 0..1");
                    }

                    weights[reason.Name] = reason.Value.GetDouble();
                }

                labels.Add(new VerdictLabel(Text(item, "entityKind", where), Text(item, "entityId", where), decision, positive.GetBoolean(), weights));
            }

            if (labels.Count == 0) throw new InvalidDataException($"{path}: no verdicts: nothing to fit");
            return labels;
        }
    }

    /// <summary>
    /// One example per verdict over the signals the base policy weighs: activation = the reason's weight in the decision /
    /// the rule's weight now (1 for an ungraded reason under the same weights), capped at 1. Codes the base policy does
    /// not weigh are left out and returned.
    /// </summary>
    public static (FitProblem Problem, IReadOnlyList<string> Ignored) Examples(IReadOnlyList<VerdictLabel> verdicts, PolicyOptions policy)
    {
        var current = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var ignored = new SortedSet<string>(StringComparer.Ordinal);
        var examples = new List<LabelledExample>(verdicts.Count);
        foreach (var verdict in verdicts)
        {
            var activations = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (code, weight) in verdict.Reasons)
            {
                if (!policy.Signals.TryGetValue(code, out var rule) || !rule.Enabled || rule.Weight <= 0)
                {
                    ignored.Add(code);
                    continue;
                }

                current[code] = rule.Weight;
                if (weight > 0) activations[code] = Math.Min(1, weight / rule.Weight);
            }

            examples.Add(new LabelledExample(activations, verdict.Positive));
        }

        return (new FitProblem(current, examples), [.. ignored]);
    }

    private static string Text(JsonElement item, string name, string where) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!
            : throw new InvalidDataException($"{where}: \"{name}\" must be a non-empty string");
}
