using System.Text.Json;
using System.Text.Json.Nodes;
using Integrity.Domain.Policy;

namespace Integrity.Backtest;

/// <summary>
/// A policy file: JSON in the shape of <see cref="PolicyOptions"/> (the same keys as the host's <c>Policy</c>
/// configuration section), laid over the default policy so that it only needs what it changes, e.g.
/// <c>{"Version": "strict-1", "Signals": {"THIN_HISTORY": {"Weight": 0.1}}, "ReviewRisk": {"ListingWeight": 0.8}}</c>.
/// Keys match case-insensitively; unknown keys and invalid values are errors, and the result must validate.
/// </summary>
internal static class PolicyFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <exception cref="InvalidDataException">The file is not JSON, names an unknown key, or the policy does not validate; the message says where.</exception>
    public static PolicyOptions Load(string path)
    {
        JsonNode? overlay;
        try
        {
            overlay = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {ex.Message}", ex);
        }

        if (overlay is not JsonObject patch) throw new InvalidDataException($"{path}: the policy must be a JSON object.");
        var merged = JsonSerializer.SerializeToNode(new PolicyOptions(), Options)!.AsObject();
        Merge(merged, patch);

        PolicyOptions policy;
        try
        {
            policy = merged.Deserialize<PolicyOptions>(Options) ?? throw new InvalidDataException($"{path}: empty policy.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }

        var errors = policy.Validate();
        if (errors.Count > 0) throw new InvalidDataException($"{path}: invalid policy:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}");
        return policy;
    }

    /// <summary>Objects merge key by key (case-insensitive against what is there); anything else replaces.</summary>
    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            var existing = target.Select(kv => kv.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? name;
            if (value is JsonObject child && target[existing] is JsonObject into)
            {
                Merge(into, child);
            }
            else
            {
                target[existing] = value?.DeepClone();
            }
        }
    }
}
