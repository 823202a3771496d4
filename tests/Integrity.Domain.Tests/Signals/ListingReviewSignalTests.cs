using Integrity.Domain.Enforcement;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Signals;

public sealed class ListingReviewSignalTests
{
    /// <summary>Five days of one positive review every two hours: a steady, honest baseline.</summary>
    private static ScenarioBuilder SteadyListing(int rating = 5)
    {
        var b = new ScenarioBuilder();
        b.Listing("L-1", "S-1");
        for (var i = 0; i < 60; i++) b.Advance(TimeSpan.FromHours(2)).Review("L-1", "S-1", $"C-{i}", i % 7 == 0 ? 4 : rating, HonestTraffic.Sentence(new Random(i)), $"O-{i}");
        return b;
    }

    [Fact]
    public void Listing_with_41_reviews_in_an_hour_trips_review_burst()
    {
        var b = SteadyListing().Advance(TimeSpan.FromHours(1.5));
        for (var i = 0; i < 41; i++) b.Advance(TimeSpan.FromSeconds(80)).Review("L-1", "S-1", $"C-burst-{i}", 5, HonestTraffic.Sentence(new Random(1000 + i)));

        var reason = Fold.ReasonOf(Fold.Listing(b.Events).Enforcement, ReasonCodes.ReviewBurst);

        Assert.NotNull(reason);
        Assert.Matches(@"^41 positive reviews in 1h vs baseline 0\.\d/1h \(z=\d+\.\d\)$", reason.Message);
        Assert.True(reason.Value >= 4);
        Assert.Equal(20, reason.EventIds.Count);
    }

    [Fact]
    public void Steady_listing_does_not_trip_review_burst()
    {
        Assert.Null(Fold.ReasonOf(Fold.Listing(SteadyListing().Events).Enforcement, ReasonCodes.ReviewBurst));
    }

    [Fact]
    public void Popular_listing_with_a_high_baseline_needs_more_than_its_usual_hour_to_burst()
    {
        var b = new ScenarioBuilder();
        b.Listing("L-1", "S-1");
        for (var i = 0; i < 24 * 5 * 12; i++) b.Advance(TimeSpan.FromMinutes(5)).Review("L-1", "S-1", $"C-{i}", 5, "ok");

        Assert.Null(Fold.ReasonOf(Fold.Listing(b.Events).Enforcement, ReasonCodes.ReviewBurst));
    }

    [Fact]
    public void Burst_of_one_star_reviews_is_a_review_attack_that_weighs_nothing()
    {
        var b = SteadyListing();
        for (var i = 0; i < 15; i++) b.Advance(TimeSpan.FromMinutes(3)).Review("L-1", "S-1", $"C-troll-{i}", 1, "scam");

        var state = Fold.Listing(b.Events);

        Assert.Equal(0, Fold.ReasonOf(state.Enforcement, ReasonCodes.ReviewAttack)!.Weight);
        Assert.Null(Fold.ReasonOf(state.Enforcement, ReasonCodes.ReviewBurst));
        Assert.Equal(ListingStep.None, state.Step);
    }

    [Fact]
    public void Steady_trickle_of_one_star_reviews_is_not_an_attack()
    {
        var b = SteadyListing();
        for (var i = 0; i < 15; i++) b.Advance(TimeSpan.FromHours(3)).Review("L-1", "S-1", $"C-low-{i}", 1, "bad");

        Assert.Null(Fold.ReasonOf(Fold.Listing(b.Events).Enforcement, ReasonCodes.ReviewAttack));
    }

    [Fact]
    public void Ratings_jumping_from_mediocre_to_perfect_trip_rating_shift()
    {
        var b = new ScenarioBuilder();
        b.Listing("L-1", "S-1");
        for (var i = 0; i < 20; i++) b.Advance(TimeSpan.FromHours(6)).Review("L-1", "S-1", $"C-{i}", 2 + (i % 3), "meh");
        for (var i = 0; i < 12; i++) b.Advance(TimeSpan.FromHours(1.5)).Review("L-1", "S-1", $"C-new-{i}", 5, "great");

        var reason = Fold.ReasonOf(Fold.Listing(b.Events).Enforcement, ReasonCodes.RatingShift);

        Assert.NotNull(reason);
        Assert.Matches(@"^ratings in 24h average 4\.\d\d over 1\d reviews vs \d\.\d\d over 1\d before", reason.Message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void Ratings_staying_level_or_falling_do_not_trip_rating_shift(int recentRating)
    {
        var b = new ScenarioBuilder();
        b.Listing("L-1", "S-1");
        for (var i = 0; i < 20; i++) b.Advance(TimeSpan.FromHours(6)).Review("L-1", "S-1", $"C-{i}", 2 + (i % 3), "meh");
        for (var i = 0; i < 12; i++) b.Advance(TimeSpan.FromHours(1.5)).Review("L-1", "S-1", $"C-new-{i}", recentRating, "hm");

        Assert.Null(Fold.ReasonOf(Fold.Listing(b.Events).Enforcement, ReasonCodes.RatingShift));
    }

    [Theory]
    [InlineData(6, true)]
    [InlineData(2, false)]
    public void Positive_reviews_from_flagged_reviewers_trip_suspicious_reviewers(int flagged, bool trips)
    {
        var b = new ScenarioBuilder();
        b.Listing("L-1", "S-1");
        for (var i = 0; i < 10; i++) b.Advance(TimeSpan.FromHours(3)).Review("L-1", "S-1", $"C-{i}", 5, HonestTraffic.Sentence(new Random(i)));

        var state = Fold.Listing(b.Events);
        for (var i = 0; i < flagged; i++) state = Domain.Rules.ListingRules.ObserveReviewerRisk(state, new ReviewerRiskFact($"C-{i}", 1, 40, b.Now), PolicyOptions.Default).State;

        Assert.Equal(trips, Fold.ReasonOf(state.Enforcement, ReasonCodes.SuspiciousReviewers) is not null);
    }

    [Fact]
    public void A_reviewer_flagged_later_is_counted_when_its_level_is_reported()
    {
        var b = new ScenarioBuilder();
        b.Listing("L-1", "S-1");
        for (var i = 0; i < 10; i++) b.Advance(TimeSpan.FromHours(3)).Review("L-1", "S-1", $"C-{i}", 5, HonestTraffic.Sentence(new Random(i)));
        var state = Fold.Listing(b.Events);

        for (var i = 0; i < 6; i++) state = Domain.Rules.ListingRules.ObserveReviewerRisk(state, new ReviewerRiskFact($"C-{i}", 2, 70, b.Now), PolicyOptions.Default).State;

        Assert.Contains("6 of 10 positive reviews", Fold.ReasonOf(state.Enforcement, ReasonCodes.SuspiciousReviewers)!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Several_accounts_posting_the_same_praise_trip_duplicate_review_text(bool scripted, bool trips)
    {
        var b = new ScenarioBuilder();
        b.Listing("L-1", "S-1");
        for (var i = 0; i < 8; i++)
        {
            var text = scripted ? $"Best blender ever, smooth results, five stars from me and my family! {i}" : HonestTraffic.Sentence(new Random(i));
            b.Advance(TimeSpan.FromHours(5)).Review("L-1", "S-1", $"C-{i}", 5, text);
        }

        Assert.Equal(trips, Fold.ReasonOf(Fold.Listing(b.Events).Enforcement, ReasonCodes.DuplicateReviewText) is not null);
    }
}
