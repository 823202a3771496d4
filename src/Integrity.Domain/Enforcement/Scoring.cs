namespace Integrity.Domain.Enforcement;

public static class Scoring
{
    /// <summary>
    /// Combines weights as independent evidence: 100 × (1 − Π(1 − w)). Stays within 0..100 whatever the number of
    /// reasons, and a strong signal is not drowned by many weak ones.
    /// </summary>
    public static double Combine(IReadOnlyList<Reason> reasons)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        var keep = 1.0;
        for (var i = 0; i < reasons.Count; i++)
        {
            keep *= 1 - Math.Clamp(reasons[i].Weight, 0, 1);
        }

        return Round(100 * (1 - keep));
    }

    /// <inheritdoc cref="Combine(IReadOnlyList{Reason})"/>
    public static double Combine(IEnumerable<Reason> reasons)
    {
        var keep = 1.0;
        foreach (var r in reasons)
        {
            keep *= 1 - Math.Clamp(r.Weight, 0, 1);
        }

        return Round(100 * (1 - keep));
    }

    /// <summary>
    /// 0..100 to 4 decimals, the precision of graded weights (6 decimals of 0..1). Rounding to 0.1 made tens of thousands of
    /// reviewers whose graded evidence differs share a score, and their order then came from arrival, not from evidence.
    /// Show it to people with one decimal; rank by the number itself.
    /// </summary>
    public static double Round(double score) => Math.Round(Math.Clamp(score, 0, 100), 4);
}
