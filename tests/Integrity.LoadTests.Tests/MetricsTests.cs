using Integrity.LoadTests.Evaluation;
using Integrity.Harness.Market;

namespace Integrity.LoadTests.Tests;

public sealed class MetricsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private static GroundTruthEntry Culprit(string pattern, EntityKind kind, string id, double hours) =>
        new($"{pattern}#1", pattern, kind, id, GroundTruthRole.Culprit, T0.AddHours(hours));

    private static DecisionInfo Act(EntityKind kind, string id, double hours, int level = 1, params string[] reasons) =>
        new($"d-{kind}-{id}-{level}-{hours}", kind, id, $"step{level}", level, IsStepUp: true, T0.AddHours(hours), reasons, []);

    /// <summary>
    /// A ring of 4 culprits (3 caught), a counterfeit listing caught, an honest seller wrongly warned, the defamed
    /// store wrongly flagged, an involved seller acted on (not a false positive), and noise that must not count.
    /// </summary>
    private static (GroundTruth Truth, List<DecisionInfo> Decisions) Scenario()
    {
        var truth = new GroundTruth(1,
        [
            Culprit(FraudPatterns.PaidReviewRing, EntityKind.Reviewer, "C-1", 1),
            Culprit(FraudPatterns.PaidReviewRing, EntityKind.Reviewer, "C-2", 2),
            Culprit(FraudPatterns.PaidReviewRing, EntityKind.Reviewer, "C-3", 3),
            Culprit(FraudPatterns.PaidReviewRing, EntityKind.Reviewer, "C-4", 4),
            Culprit(FraudPatterns.CounterfeitListing, EntityKind.Listing, "L-9", 10),
            new("prohibited_claims#1", FraudPatterns.ProhibitedClaims, EntityKind.Seller, "S-7", GroundTruthRole.Involved, T0),
            new("defamation_burst#1", FraudPatterns.DefamationBurst, EntityKind.Seller, "S-OFFICIAL", GroundTruthRole.Protected, T0),
        ]);
        var decisions = new List<DecisionInfo>
        {
            Act(EntityKind.Reviewer, "C-1", 1.5, 1, "LOCKSTEP"),
            Act(EntityKind.Reviewer, "C-1", 5, 2, "LOCKSTEP"),
            Act(EntityKind.Reviewer, "C-2", 4, 1, "NEAR_DUPLICATE_TEXT"),
            Act(EntityKind.Reviewer, "C-3", 2, 1, "REVIEW_VELOCITY"), // before its fraud started: detected at once
            Act(EntityKind.Listing, "L-9", 10.25, 1, "COUNTERFEIT"),
            Act(EntityKind.Seller, "S-HONEST", 6, 1, "LOCKSTEP"),
            Act(EntityKind.Seller, "S-OFFICIAL", 7, 1, "EXTREME_RATINGS"),
            Act(EntityKind.Seller, "S-7", 8, 1, "PROHIBITED_CLAIM"),

            // Not actions: a step down, an analyst decision, and a level-0 note.
            Act(EntityKind.Reviewer, "C-4", 9, 0, "LOCKSTEP"),
            new("down", EntityKind.Reviewer, "C-4", "none", 0, IsStepUp: false, T0.AddHours(9), ["LOCKSTEP"], []),
            new("analyst", EntityKind.Listing, "L-HONEST", "flagged", 1, IsStepUp: true, T0.AddHours(9), [], [], Origin: "analyst_override"),
        };
        return (truth, decisions);
    }

    [Fact]
    public void Recall_and_time_to_detect_count_only_automatic_step_ups_on_culprits()
    {
        var (truth, decisions) = Scenario();
        var report = DetectionMetrics.Compute(truth, decisions, [], new DetectionOptions());

        var ring = report.Patterns.Single(p => p.Pattern == FraudPatterns.PaidReviewRing);
        Assert.Equal(4, ring.Culprits);
        Assert.Equal(3, ring.Detected);
        Assert.Equal(0.75, ring.Recall);
        Assert.Equal(["Reviewer/C-4"], ring.Missed);

        // C-1: 1.5h − 1h = 1800 s; C-2: 4h − 2h = 7200 s; C-3 acted on before its fraud: 0 s.
        Assert.NotNull(ring.TimeToDetect);
        Assert.Equal(3, ring.TimeToDetect.Count);
        Assert.Equal(1800, ring.TimeToDetect.MedianSeconds);
        Assert.Equal(7200, ring.TimeToDetect.MaxSeconds);

        var counterfeit = report.Patterns.Single(p => p.Pattern == FraudPatterns.CounterfeitListing);
        Assert.Equal(1.0, counterfeit.Recall);
        Assert.Equal(900, counterfeit.TimeToDetect!.MedianSeconds);

        var dumping = report.Patterns.Single(p => p.Pattern == FraudPatterns.PriceDumping);
        Assert.Equal(0, dumping.Culprits);
        Assert.Null(dumping.Recall);
        Assert.Null(dumping.TimeToDetect);

        Assert.Equal(5, report.Culprits);
        Assert.Equal(4, report.CulpritsDetected);
        Assert.Equal(0.8, report.Recall);
    }

    [Fact]
    public void Precision_counts_involved_entities_as_right_and_honest_and_protected_ones_as_false_positives()
    {
        var (truth, decisions) = Scenario();
        var report = DetectionMetrics.Compute(truth, decisions, [], new DetectionOptions());

        // Acted on: C-1, C-2, C-3, L-9, S-HONEST, S-OFFICIAL, S-7 → 5 right (S-7 is involved), 2 wrong.
        Assert.Equal(7, report.EntitiesActedOn);
        Assert.Equal(5, report.FraudulentActedOn);
        Assert.Equal(Math.Round(5 / 7.0, 4), report.Precision);

        Assert.Equal(["S-HONEST", "S-OFFICIAL"], report.FalsePositives.Select(f => f.Id));
        Assert.True(report.FalsePositives.Single(f => f.Id == "S-OFFICIAL").IsProtectedVictim);
        Assert.False(report.FalsePositives.Single(f => f.Id == "S-HONEST").IsProtectedVictim);
        Assert.Equal(2, report.FalsePositivesPerKind["Seller"]);

        // LOCKSTEP is a ring reason: C-1 (right) and S-HONEST (wrong) → ring precision 1/2... plus C-2 via NEAR_DUPLICATE_TEXT and C-3 via REVIEW_VELOCITY.
        var ring = report.Patterns.Single(p => p.Pattern == FraudPatterns.PaidReviewRing);
        Assert.Equal(4, ring.AttributedActions);
        Assert.Equal(3, ring.AttributedCorrect);
        Assert.Equal(0.75, ring.Precision);
        Assert.Equal(1.0, report.Patterns.Single(p => p.Pattern == FraudPatterns.ProhibitedClaims).Precision);
    }

    [Fact]
    public void Minimum_level_raises_the_bar_for_an_action()
    {
        var (truth, decisions) = Scenario();
        var report = DetectionMetrics.Compute(truth, decisions, [], new DetectionOptions { MinimumLevel = 2 });
        Assert.Equal(1, report.EntitiesActedOn);
        Assert.Equal(0.25, report.Patterns.Single(p => p.Pattern == FraudPatterns.PaidReviewRing).Recall);
        Assert.Empty(report.FalsePositives);
    }

    [Fact]
    public void False_positive_rate_is_per_honest_entity_of_each_kind()
    {
        var (truth, decisions) = Scenario();
        EntityKey[] population =
        [
            new(EntityKind.Seller, "S-HONEST"), new(EntityKind.Seller, "S-OFFICIAL"), new(EntityKind.Seller, "S-A"), new(EntityKind.Seller, "S-B"),
            new(EntityKind.Seller, "S-7"), new(EntityKind.Reviewer, "C-1"), new(EntityKind.Reviewer, "C-50"),
        ];
        var report = DetectionMetrics.Compute(truth, decisions, population, new DetectionOptions());
        Assert.Equal(0.5, report.FalsePositiveRatePerKind["Seller"]);
        Assert.Equal(0, report.FalsePositiveRatePerKind["Reviewer"]);
        Assert.Equal(6, report.DecisionsPerKind["Reviewer"].Values.Sum());
        Assert.Equal(3, report.DecisionsPerKind["Seller"]["step1"]);
    }

    [Fact]
    public void Nearest_rank_percentiles_pick_values_that_occurred()
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Assert.Equal(5, TimeToDetect.Percentile(sorted, 0.5));
        Assert.Equal(9, TimeToDetect.Percentile(sorted, 0.9));
        Assert.Equal(10, TimeToDetect.Percentile(sorted, 1));
        Assert.Equal(1, TimeToDetect.Percentile([1], 0.9));
    }
}
