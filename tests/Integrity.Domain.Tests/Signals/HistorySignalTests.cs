using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Replay;
using Integrity.Domain.Rules;
using Integrity.Domain.Signals.Review;
using Integrity.Domain.State;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Signals;

public sealed class HistorySignalTests
{
    private static List<IntegrityEvent> Reviews(int count, TimeSpan every, Func<int, int>? rating = null, DateTimeOffset? accountCreatedAt = null)
    {
        var b = new ScenarioBuilder();
        return Enumerable.Range(0, count)
            .Select(i => (IntegrityEvent)b.Advance(every).Review($"L-{i}", $"S-{i}", "C-1", rating?.Invoke(i) ?? 4, HonestTraffic.Sentence(new Random(i)), $"O-{i}", accountCreatedAt))
            .ToList();
    }

    private static Reason? Thin(IEnumerable<IntegrityEvent> events) => Fold.ReasonOf(Fold.Reviewer(events).Enforcement, ReasonCodes.ThinHistory);

    [Fact]
    public void A_first_review_is_thin_history_at_full_weight_but_below_any_step()
    {
        var state = Fold.Reviewer(Reviews(1, TimeSpan.FromHours(1)));
        var reason = Fold.ReasonOf(state.Enforcement, ReasonCodes.ThinHistory);

        Assert.NotNull(reason);
        Assert.Equal(PolicyOptions.Default.Rule(ReasonCodes.ThinHistory).Weight, reason.Weight, 4);
        Assert.Equal(0, reason.Value);
        Assert.True(state.Enforcement.Score < PolicyOptions.Default.Reviewer.DownWeighted);
        Assert.Equal(0, state.Enforcement.Level);
    }

    [Fact]
    public void History_thins_out_with_more_reviews_over_a_longer_time_and_is_gone_once_established()
    {
        var one = Thin(Reviews(1, TimeSpan.FromDays(1)))!.Weight;
        var four = Thin(Reviews(4, TimeSpan.FromDays(1)))!.Weight;
        var fourOverMonths = Thin(Reviews(4, TimeSpan.FromDays(60)))!.Weight;

        Assert.True(one > four && four > fourOverMonths, $"{one} > {four} > {fourOverMonths}");
        Assert.Null(Thin(Reviews(16, TimeSpan.FromDays(30))));
    }

    [Fact]
    public void A_known_old_account_is_not_thin_even_on_its_first_review()
    {
        var created = ScenarioBuilder.DefaultStart - TimeSpan.FromDays(3 * 365);
        var fresh = Thin(Reviews(1, TimeSpan.FromHours(1)))!.Weight;
        var old = Thin(Reviews(1, TimeSpan.FromHours(1), accountCreatedAt: created));

        Assert.True(old is null || old.Weight < fresh / 4, $"old account weight {old?.Weight} vs fresh {fresh}");
    }

    [Fact]
    public void Rating_deviation_is_graded_a_rating_near_the_listings_average_weighs_little_a_far_one_much()
    {
        Reason Deviation(int rating) => Fold.ReasonOf(Fold.Reviewer(Reviews(2, TimeSpan.FromDays(1), _ => rating), _ => new ReviewerContext(ListingMeanRating: 4.2, ListingRatingCount: 10)).Enforcement, ReasonCodes.RatingDeviation)!;
        var rule = PolicyOptions.Default.Rule(ReasonCodes.RatingDeviation);

        var near = Deviation(4);
        var far = Deviation(1);

        Assert.Equal(rule.Weight * 0.2 / (0.2 + rule.Threshold), near.Weight, 6);
        Assert.Equal(rule.Weight * 3.2 / (3.2 + rule.Threshold), far.Weight, 6);
        Assert.Contains("0.20 stars", near.Message, StringComparison.Ordinal);
        Assert.Null(Fold.ReasonOf(Fold.Reviewer(Reviews(2, TimeSpan.FromDays(1), _ => 4), _ => new ReviewerContext(ListingMeanRating: 4.0, ListingRatingCount: 10)).Enforcement, ReasonCodes.RatingDeviation));
    }

    [Fact]
    public void Rating_deviation_ignores_listings_with_too_few_earlier_ratings_and_scales_with_distance()
    {
        var policy = PolicyOptions.Default;
        var rule = policy.Rule(ReasonCodes.RatingDeviation);
        var events = Reviews(1, TimeSpan.FromDays(1), _ => 1);

        Assert.Null(Fold.ReasonOf(Fold.Reviewer(events, _ => new ReviewerContext(ListingMeanRating: 4.5, ListingRatingCount: rule.MinCount - 1)).Enforcement, ReasonCodes.RatingDeviation));
        var far = Fold.ReasonOf(Fold.Reviewer(events, _ => new ReviewerContext(ListingMeanRating: 4.5, ListingRatingCount: 50)).Enforcement, ReasonCodes.RatingDeviation)!;
        var near = Fold.ReasonOf(Fold.Reviewer(events, _ => new ReviewerContext(ListingMeanRating: 2.2, ListingRatingCount: 50)).Enforcement, ReasonCodes.RatingDeviation)!;
        Assert.Equal(rule.Weight * 3.5 / (3.5 + rule.Threshold), far.Weight, 6);
        Assert.True(near.Weight < far.Weight);
        Assert.Equal(3.5, far.Value, 4);
    }

    [Fact]
    public void The_listing_reports_its_average_before_the_review_whether_asked_before_or_after_applying_it()
    {
        var b = new ScenarioBuilder();
        var listing = ListingState.Create("L-1");
        foreach (var r in new[] { 5, 5, 4 }) listing = ListingRules.Apply(listing, b.Advance(TimeSpan.FromHours(1)).Review("L-1", "S-1", $"C-{r}-{b.Now.Ticks}", r, "fine"), ListingContext.None, PolicyOptions.Default).State;
        var review = b.Advance(TimeSpan.FromHours(1)).Review("L-1", "S-1", "C-x", 1, "awful");

        var before = ListingRules.ObserveReview(listing, review, PolicyOptions.Default);
        var applied = ListingRules.Apply(listing, review, ListingContext.None, PolicyOptions.Default).State;
        var after = ListingRules.ObserveReview(applied, review, PolicyOptions.Default);

        Assert.Equal(3, before.ListingRatingCount);
        Assert.Equal(14 / 3.0, before.ListingMeanRating!.Value, 6);
        Assert.Equal(before.ListingMeanRating, after.ListingMeanRating);
        Assert.Equal(before.ListingRatingCount, after.ListingRatingCount);
        Assert.Null(ListingRules.ObserveReview(ListingState.Create("L-2"), review, PolicyOptions.Default).ListingMeanRating);
    }

    [Fact]
    public void The_engine_passes_the_listing_average_to_the_reviewer()
    {
        var b = new ScenarioBuilder();
        var engine = new ReplayEngine();
        foreach (var i in Enumerable.Range(0, 5)) engine.Apply(b.Advance(TimeSpan.FromHours(1)).Review("L-1", "S-1", $"C-{i}", 5, $"great number {i}"));
        engine.Apply(b.Advance(TimeSpan.FromHours(1)).Review("L-1", "S-1", "C-odd", 1, "awful"));

        var review = engine.Reviewer("C-odd").Reviews.Single();
        Assert.Equal(5.0, review.ListingMeanBefore);
        Assert.Equal(5, review.ListingRatingsBefore);
        Assert.Contains(engine.Reviewer("C-odd").Enforcement.Reasons, r => r.Code == ReasonCodes.RatingDeviation);
        Assert.DoesNotContain(engine.Reviewer("C-3").Enforcement.Reasons, r => r.Code == ReasonCodes.RatingDeviation);
    }
}

public sealed class ReviewRiskTests
{
    private static EnforcementState Reviewer(double score) =>
        new() { Score = score, Reasons = score > 0 ? [new Reason(ReasonCodes.ThinHistory, "thin", 0, 6, score / 100, [])] : [] };

    [Fact]
    public void A_review_inherits_its_authors_risk_and_adds_its_own_features()
    {
        var policy = PolicyOptions.Default;

        var plain = ReviewRisk.Score(4, Reviewer(0), null, 4.0, 20, policy);
        var oddRating = ReviewRisk.Score(1, Reviewer(0), null, 4.0, 20, policy);
        var thinAuthor = ReviewRisk.Score(4, Reviewer(20), null, 4.0, 20, policy);

        Assert.Equal(0, plain.Score);
        Assert.True(oddRating.Score > 0);
        Assert.Contains("deviation 3.0", oddRating.Explanation, StringComparison.Ordinal);
        Assert.Contains("extreme 1", oddRating.Explanation, StringComparison.Ordinal);
        Assert.Equal(20, thinAuthor.Score);
        Assert.Contains("THIN_HISTORY", thinAuthor.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_risky_listing_raises_its_reviews_and_a_listing_average_on_too_few_ratings_does_not_count()
    {
        var policy = PolicyOptions.Default;
        var listing = new EnforcementState { Score = 60, Level = 2, Reasons = [new Reason(ReasonCodes.ReviewBurst, "burst", 5, 4, 0.45, [])] };

        Assert.Equal(100 * policy.ReviewRisk.ListingWeight * 0.6, ReviewRisk.Score(4, Reviewer(0), listing, null, 0, policy).Score, 2);
        Assert.Equal(0, ReviewRisk.Score(3, Reviewer(0), null, 5.0, policy.ReviewRisk.MinListingRatings - 1, policy).Score);
    }

    [Theory]
    [InlineData(1, 0, 0, 4.0, 20)]
    [InlineData(5, 35, 0, 3.2, 20)]
    [InlineData(4, 20, 60, null, 0)]
    [InlineData(3, 80, 45, 4.6, 2)]
    [InlineData(2, 100, 100, 1.5, 300)]
    public void The_value_alone_is_the_scores_number(int rating, double reviewerScore, double listingScore, double? mean, int ratings)
    {
        var policy = PolicyOptions.Default;
        var listing = new EnforcementState { Score = listingScore, Reasons = [new Reason(ReasonCodes.ReviewBurst, "burst", 5, 4, 0.45, [])] };

        var full = ReviewRisk.Score(rating, Reviewer(reviewerScore), listing, mean, ratings, policy);

        Assert.Equal(full.Score, ReviewRisk.Value(rating, Reviewer(reviewerScore), listing, mean, ratings, policy));
    }

    [Fact]
    public void Review_risk_options_are_validated_by_key()
    {
        var policy = new PolicyOptions();
        policy.ReviewRisk.DeviationWeight = 2;
        policy.ReviewRisk.DeviationScale = 0;

        var errors = policy.Validate();

        Assert.Contains("ReviewRisk:DeviationWeight: must be within 0..1, got 2.", errors);
        Assert.Contains(errors, e => e.StartsWith("ReviewRisk:DeviationScale:", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new ReplayEngine(policy));
    }
}
