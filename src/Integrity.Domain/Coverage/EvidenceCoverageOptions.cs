namespace Integrity.Domain.Coverage;

/// <summary>
/// How the engine decides which evidence a platform sends (configuration section <c>Coverage</c>). By default it
/// observes: a source counts as sent once <see cref="MinEvents"/> events of it have arrived. A platform that knows what
/// it sends may declare a source sent or not sent (<c>Coverage:Declared:Orders = false</c>); a declaration wins over
/// what is observed.
/// </summary>
public sealed class EvidenceCoverageOptions
{
    public const string Section = "Coverage";

    public Dictionary<EvidenceSource, bool> Declared { get; set; } = [];

    /// <summary>Events of a source before it counts as sent. Once sent, a source stays sent.</summary>
    public int MinEvents { get; set; } = 1;

    /// <summary>Every source declared sent: the signals behave as if the platform sent everything (the reference scenarios' setting).</summary>
    public static EvidenceCoverageOptions AllSent() => new() { Declared = Enum.GetValues<EvidenceSource>().ToDictionary(s => s, _ => true) };

    public IEnumerable<string> Validate()
    {
        if (MinEvents < 1) yield return $"Coverage:MinEvents: must be ≥ 1, got {MinEvents}.";
        foreach (var source in Declared?.Keys ?? Enumerable.Empty<EvidenceSource>())
        {
            if (!Enum.IsDefined(source)) yield return $"Coverage:Declared:{source}: not an evidence source (known: {string.Join(", ", Enum.GetNames<EvidenceSource>())}).";
        }
    }
}
