using Integrity.Domain.Events;
using Integrity.Domain.Policy;

namespace Integrity.Domain.Enforcement;

/// <summary>The three ladders as ordered levels (0 = None), so one engine serves listing, reviewer and seller.</summary>
public static class Ladders
{
    public static string StepName(EntityKind kind, int level) => kind switch
    {
        EntityKind.Listing => Named(ListingSteps, level) ?? ((ListingStep)level).ToString(),
        EntityKind.Reviewer => Named(ReviewerSteps, level) ?? ((ReviewerStep)level).ToString(),
        EntityKind.Seller => Named(SellerSteps, level) ?? ((SellerStep)level).ToString(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No ladder for this entity kind."),
    };

    // Every assessment names its step: the names of levels 0..top once, instead of boxing the enum for ToString each time.
    private static readonly string[] ListingSteps = [.. Enumerable.Range(0, (int)ListingStep.Removed + 1).Select(l => ((ListingStep)l).ToString())];
    private static readonly string[] ReviewerSteps = [.. Enumerable.Range(0, (int)ReviewerStep.Restricted + 1).Select(l => ((ReviewerStep)l).ToString())];
    private static readonly string[] SellerSteps = [.. Enumerable.Range(0, (int)SellerStep.Closed + 1).Select(l => ((SellerStep)l).ToString())];

    private static string? Named(string[] names, int level) => (uint)level < (uint)names.Length ? names[level] : null;

    public static int TopLevel(EntityKind kind) => kind switch
    {
        EntityKind.Listing => (int)ListingStep.Removed,
        EntityKind.Reviewer => (int)ReviewerStep.Restricted,
        EntityKind.Seller => (int)SellerStep.Closed,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No ladder for this entity kind."),
    };

    /// <summary>Score thresholds of levels 1..top.</summary>
    public static double[] Thresholds(EntityKind kind, PolicyOptions policy) => kind switch
    {
        EntityKind.Listing => policy.Listing.Thresholds(),
        EntityKind.Reviewer => policy.Reviewer.Thresholds(),
        EntityKind.Seller => policy.Seller.Thresholds(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No ladder for this entity kind."),
    };

    /// <summary>The highest level whose threshold the score reaches.</summary>
    public static int LevelFor(EntityKind kind, double score, PolicyOptions policy) => kind switch
    {
        EntityKind.Listing => policy.Listing.LevelFor(score),
        EntityKind.Reviewer => policy.Reviewer.LevelFor(score),
        EntityKind.Seller => policy.Seller.LevelFor(score),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No ladder for this entity kind."),
    };

    /// <summary>The highest level whose threshold the score reaches (1-based; 0 below the first).</summary>
    internal static int LevelFor(double score, ReadOnlySpan<double> thresholds)
    {
        var level = 0;
        for (var i = 0; i < thresholds.Length; i++)
        {
            if (score >= thresholds[i]) level = i + 1;
        }

        return level;
    }
}
