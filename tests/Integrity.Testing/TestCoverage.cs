using Integrity.Domain.Coverage;

namespace Integrity.Testing;

/// <summary>
/// Configuration declaring every evidence source sent, as the in-memory reference scenarios assume: a shared engine's
/// signals then do not depend on which test's events arrived first. Tests of the coverage switch itself leave it out.
/// </summary>
public static class TestCoverage
{
    public static IReadOnlyDictionary<string, string> AllSent { get; } =
        Enum.GetNames<EvidenceSource>().ToDictionary(s => $"{EvidenceCoverageOptions.Section}:Declared:{s}", _ => "true");

    /// <summary><paramref name="settings"/> with every source declared sent (settings win).</summary>
    public static Dictionary<string, string> With(IReadOnlyDictionary<string, string> settings)
    {
        var all = new Dictionary<string, string>(AllSent);
        foreach (var (key, value) in settings) all[key] = value;
        return all;
    }
}
