using CsCheck;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Properties;

/// <summary>
/// Reviewer scores are for ranking: accounts whose evidence differs get different scores, and each piece of evidence
/// moves the score the way the design says (issue 18, item 2).
/// </summary>
public sealed class ReviewerScoreProperties
{
    /// <summary>One review of an account: its rating, the listing's average before it and how many ratings that average rests on.</summary>
    private sealed record Spec(int Rating, double ListingMean, int ListingRatings = 50);

    /// <summary>The score of an account that wrote <paramref name="reviews"/> on distinct listings and sellers, <paramref name="every"/> apart, each verified.</summary>
    private static double Score(IReadOnlyList<Spec> reviews, TimeSpan every, DateTimeOffset? start = null, string id = "C-1")
    {
        var b = new ScenarioBuilder(start ?? ScenarioBuilder.DefaultStart);
        var contexts = new Dictionary<string, ReviewerContext>(StringComparer.Ordinal);
        var events = new List<IntegrityEvent>();
        for (var i = 0; i < reviews.Count; i++)
        {
            var review = b.Advance(every).Review($"L-{i}", $"S-{i}", id, reviews[i].Rating, HonestTraffic.Sentence(new Random(i)), $"O-{i}");
            contexts[review.EventId] = new ReviewerContext(ListingMeanRating: reviews[i].ListingMean, ListingRatingCount: reviews[i].ListingRatings);
            events.Add(review);
        }

        return Fold.Reviewer(events, e => contexts.GetValueOrDefault(e.EventId, ReviewerContext.None), id).Enforcement.Score;
    }

    private static List<Spec> Same(int count, Spec spec) => Enumerable.Repeat(spec, count).ToList();

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public void Two_one_review_accounts_whose_rating_strays_differently_from_the_listing_get_different_scores()
    {
        var a = Score([new Spec(4, 4.31)], Day);
        var b = Score([new Spec(4, 4.32)], Day);
        var fiveStars = Score([new Spec(5, 4.31)], Day);

        Assert.True(a < b, $"{a} < {b}");
        Assert.True(b < fiveStars, $"{b} < {fiveStars}");
    }

    [Fact]
    public void Two_one_review_accounts_as_far_from_the_listing_differ_by_whether_the_rating_is_extreme()
    {
        var fourStars = Score([new Spec(4, 4.5)], Day);
        var fiveStars = Score([new Spec(5, 4.5)], Day);

        Assert.True(fourStars < fiveStars, $"{fourStars} < {fiveStars}");
    }

    [Fact]
    public void Two_accounts_that_differ_in_how_many_reviews_or_over_how_long_get_different_scores()
    {
        var two = Score(Same(2, new Spec(4, 4.2)), Day);
        var three = Score(Same(3, new Spec(4, 4.2)), Day);
        var threeOverLonger = Score(Same(3, new Spec(4, 4.2)), Day * 2);

        Assert.True(two > three, $"{two} > {three}");
        Assert.True(three > threeOverLonger, $"{three} > {threeOverLonger}");
    }

    [Fact]
    public void Accounts_with_the_same_evidence_get_the_same_score_whenever_they_arrive()
    {
        List<Spec> reviews = [new Spec(5, 3.87), new Spec(2, 4.4)];

        var early = Score(reviews, Day, ScenarioBuilder.DefaultStart, "C-early");
        var late = Score(reviews, Day, ScenarioBuilder.DefaultStart + TimeSpan.FromDays(400), "C-late");

        Assert.Equal(early, late);
    }

    [Fact]
    public void The_score_rises_strictly_with_how_far_the_ratings_stray_from_the_listings_averages()
    {
        Gen.Select(Gen.Int[1, 5], Gen.Double[1, 5], Gen.Double[1, 5], Gen.Int[1, 6]).Sample((rating, meanA, meanB, count) =>
        {
            var (near, far) = Math.Abs(rating - meanA) <= Math.Abs(rating - meanB) ? (meanA, meanB) : (meanB, meanA);
            var nearScore = Score(Same(count, new Spec(rating, near)), Day);
            var farScore = Score(Same(count, new Spec(rating, far)), Day);

            if (Math.Abs(rating - far) - Math.Abs(rating - near) >= 0.01) Assert.True(nearScore < farScore, $"{rating}★: |{rating} − {near:0.###}| scores {nearScore}, |{rating} − {far:0.###}| scores {farScore}");
            else Assert.True(nearScore <= farScore, $"{nearScore} <= {farScore}");
        }, iter: 200);
    }

    [Fact]
    public void The_score_never_rises_with_more_reviews_or_a_longer_history_of_the_same_kind()
    {
        // 4★ on listings averaging 4.0: no deviation, no extreme, so only the history's depth and length differ.
        Gen.Select(Gen.Int[1, 12], Gen.Int[1, 8], Gen.Int[6, 24 * 40], Gen.Int[1, 24 * 40]).Sample((count, more, hours, longer) =>
        {
            var spec = new Spec(4, 4.0);
            var every = TimeSpan.FromHours(hours);
            var baseline = Score(Same(count, spec), every);

            Assert.True(Score(Same(count + more, spec), every) <= baseline, $"{count + more} reviews scored above {count}");
            Assert.True(Score(Same(count, spec), every + TimeSpan.FromHours(longer)) <= baseline, $"{count} reviews {hours + longer}h apart scored above {hours}h apart");
        }, iter: 120);
    }

    [Fact]
    public void At_the_same_history_more_one_and_five_star_ratings_never_lower_the_score()
    {
        // Every review on a listing averaging 3.0: a 1★ and a 5★ miss by 2 stars, a 2★ and a 4★ by 1, so ratings move
        // the deviation only through how many are extreme, and that is what a thin account's extremity grades.
        Gen.Select(Gen.Int[1, 6], Gen.Int[0, 6], Gen.Int[1, 24 * 20]).Sample((count, extremeSeed, hours) =>
        {
            var extreme = extremeSeed % (count + 1);
            List<Spec> Ratings(int ones) => Enumerable.Range(0, count).Select(i => new Spec(i < ones ? 5 : 4, 3.0)).ToList();
            var every = TimeSpan.FromHours(hours);

            var fewer = Score(Ratings(extreme), every);
            var more = Score(Ratings(Math.Min(count, extreme + 1)), every);

            Assert.True(fewer <= more, $"{count} reviews {hours}h apart: {extreme} extreme score {fewer}, {extreme + 1} score {more}");
        }, iter: 150);
    }

    [Fact]
    public void A_thin_accounts_extreme_rating_counts_and_an_established_accounts_does_not()
    {
        var policy = PolicyOptions.Default;
        var rule = policy.Rule(ReasonCodes.ExtremeRatings);
        var thin = new ScenarioBuilder();
        var one = Fold.Reviewer([thin.Advance(Day).Review("L-1", "S-1", "C-1", 5, "great", "O-1")]);
        var established = new ScenarioBuilder();
        var many = Fold.Reviewer(Enumerable.Range(0, 40).Select(i => (IntegrityEvent)established.Advance(Day * 10).Review($"L-{i}", $"S-{i}", "C-1", i % 2 == 0 ? 5 : 4, "fine", $"O-{i}")).ToList());

        var oneReason = Fold.ReasonOf(one.Enforcement, ReasonCodes.ExtremeRatings);
        Assert.NotNull(oneReason);
        Assert.Equal(rule.Weight / rule.MinCount, oneReason.Weight, 6);
        Assert.Contains("thinness 1.00", oneReason.Message, StringComparison.Ordinal);
        Assert.Null(Fold.ReasonOf(many.Enforcement, ReasonCodes.ExtremeRatings));
        Assert.Null(Fold.ReasonOf(Fold.Reviewer([thin.Advance(Day).Review("L-2", "S-2", "C-2", 5, "great", "O-2")], id: "C-2", policy: WithoutThinHistory()).Enforcement, ReasonCodes.ExtremeRatings));
    }

    private static PolicyOptions WithoutThinHistory()
    {
        var policy = new PolicyOptions();
        policy.Signals[ReasonCodes.ThinHistory].Enabled = false;
        return policy;
    }

    [Fact]
    public void A_single_review_of_a_brand_new_account_never_reaches_a_step_however_far_it_strays()
    {
        var policy = PolicyOptions.Default;
        Gen.Select(Gen.Int[1, 5], Gen.Double[1, 5], Gen.Int[0, 500]).Sample((rating, mean, ratings) =>
        {
            var b = new ScenarioBuilder();
            var review = b.Advance(TimeSpan.FromMinutes(5)).Review("L-1", "S-1", "C-1", rating, "unverified first words", accountCreatedAt: b.Now);
            var state = Fold.Reviewer([review], _ => new ReviewerContext(ListingMeanRating: mean, ListingRatingCount: ratings));

            Assert.True(state.Enforcement.Score < policy.Reviewer.DownWeighted, $"{rating}★ against {mean:0.##} over {ratings}: {state.Enforcement.Score}");
            Assert.Equal(0, state.Enforcement.Level);
        }, iter: 200);
    }
}
