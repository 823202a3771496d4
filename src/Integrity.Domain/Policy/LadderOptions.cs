using Integrity.Domain.Enforcement;

namespace Integrity.Domain.Policy;

/// <summary>Score (0..100) at which a listing reaches each step. Named properties, not a list, so configuration overrides one step cleanly.</summary>
public sealed class ListingLadderOptions
{
    public double Flagged { get; set; } = 40;

    public double Suppressed { get; set; } = 60;

    public double Removed { get; set; } = 85;

    public double[] Thresholds() => [Flagged, Suppressed, Removed];

    /// <summary>The level a score reaches on these thresholds (every evaluation asks: no array per call).</summary>
    internal int LevelFor(double score) => Ladders.LevelFor(score, [Flagged, Suppressed, Removed]);
}

public sealed class ReviewerLadderOptions
{
    public double DownWeighted { get; set; } = 40;

    public double ReviewsHidden { get; set; } = 60;

    public double Restricted { get; set; } = 85;

    public double[] Thresholds() => [DownWeighted, ReviewsHidden, Restricted];

    /// <summary>The level a score reaches on these thresholds (every evaluation asks: no array per call).</summary>
    internal int LevelFor(double score) => Ladders.LevelFor(score, [DownWeighted, ReviewsHidden, Restricted]);
}

public sealed class SellerLadderOptions
{
    public double Warning { get; set; } = 30;

    public double NewListingsBlocked { get; set; } = 45;

    public double PayoutsHeld { get; set; } = 60;

    public double Suspended { get; set; } = 80;

    public double Closed { get; set; } = 95;

    public double[] Thresholds() => [Warning, NewListingsBlocked, PayoutsHeld, Suspended, Closed];

    /// <summary>The level a score reaches on these thresholds (every evaluation asks: no array per call).</summary>
    internal int LevelFor(double score) => Ladders.LevelFor(score, [Warning, NewListingsBlocked, PayoutsHeld, Suspended, Closed]);
}

/// <summary>
/// The seller credit record. Each step a seller climbs adds penalty points that halve every <see cref="HalfLife"/>.
/// When a seller offends again, the points left from earlier offenses (times <see cref="ScorePerPoint"/>) and the
/// number of earlier offenses (times <see cref="ScorePerPriorOffense"/>, at most <see cref="MaxPriorOffensesCounted"/>)
/// are added to the new offense's score: a fresh record escalates faster, a decayed one less, but history never vanishes.
/// </summary>
public sealed class CreditOptions
{
    public TimeSpan HalfLife { get; set; } = TimeSpan.FromDays(30);

    public double WarningPoints { get; set; } = 10;

    public double NewListingsBlockedPoints { get; set; } = 20;

    public double PayoutsHeldPoints { get; set; } = 30;

    public double SuspendedPoints { get; set; } = 50;

    public double ClosedPoints { get; set; } = 100;

    public double ScorePerPoint { get; set; } = 1.0;

    public double ScorePerPriorOffense { get; set; } = 10;

    public int MaxPriorOffensesCounted { get; set; } = 3;

    public double[] PointsPerStep() => [WarningPoints, NewListingsBlockedPoints, PayoutsHeldPoints, SuspendedPoints, ClosedPoints];
}

/// <summary>Thresholds for text similarity shared by several signals.</summary>
public sealed class TextOptions
{
    /// <summary>SimHash fingerprints at most this many bits apart are near-duplicates.</summary>
    public int NearDuplicateMaxDistance { get; set; } = 10;

    /// <summary>Texts shorter than this (after folding) are too short to call duplicates ("Great!").</summary>
    public int NearDuplicateMinLength { get; set; } = 20;
}
