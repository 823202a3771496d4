namespace Integrity.Domain.Policy;

/// <summary>
/// Configuration of one signal. <see cref="Weight"/> (0..1) is the signal's contribution when it trips; scores combine
/// as 1 − Π(1 − weight), so two 0.5 signals give 75, never more than 100. The meaning of Threshold, MinCount and Window
/// is documented on each code in <see cref="ReasonCodes"/>.
/// </summary>
public sealed class SignalRule
{
    public SignalRule()
    {
    }

    public SignalRule(double weight, double threshold, int minCount, TimeSpan window)
    {
        Weight = weight;
        Threshold = threshold;
        MinCount = minCount;
        Window = window;
    }

    public bool Enabled { get; set; } = true;

    public double Weight { get; set; }

    public double Threshold { get; set; }

    public int MinCount { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Set only on the copy <see cref="Coverage.EvidenceCoverage.Gate"/> makes of a rule whose evidence this deployment
    /// does not send: why it does not count. Not configuration.
    /// </summary>
    internal string? InactiveBecause { get; private init; }

    /// <summary>This rule at weight 0, saying why: the signal still runs, and its reason says it was not counted.</summary>
    internal SignalRule Inactive(string because) => new(0, Threshold, MinCount, Window) { Enabled = Enabled, InactiveBecause = because };
}
