using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Signals;

public sealed class ReviewerSignalTests
{
    private static List<IntegrityEvent> Reviews(int count, TimeSpan every, Func<int, (string Listing, string Seller, int Rating, string? Order)> shape, Func<int, string>? text = null)
    {
        var b = new ScenarioBuilder();
        return Enumerable.Range(0, count).Select(i =>
        {
            var (listing, seller, rating, order) = shape(i);
            return (IntegrityEvent)b.Advance(every).Review(listing, seller, "C-1", rating, text?.Invoke(i) ?? HonestTraffic.Sentence(new Random(i)), order, ScenarioBuilder.DefaultStart - TimeSpan.FromDays(700));
        }).ToList();
    }

    private static bool Trips(IEnumerable<IntegrityEvent> events, string code, Func<IntegrityEvent, ReviewerContext>? context = null) =>
        Fold.ReasonOf(Fold.Reviewer(events, context).Enforcement, code) is not null;

    [Theory]
    [InlineData(1, true)]
    [InlineData(48, false)]
    public void Nine_reviews_in_a_day_trip_review_velocity_but_not_over_three_weeks(int hoursApart, bool trips)
    {
        Assert.Equal(trips, Trips(Reviews(9, TimeSpan.FromHours(hoursApart), i => ($"L-{i}", $"S-{i}", 4, $"O-{i}")), ReasonCodes.ReviewVelocity));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Reviews_without_verified_orders_trip_unverified_share(bool verified, bool trips)
    {
        Assert.Equal(trips, Trips(Reviews(4, TimeSpan.FromDays(1), i => ($"L-{i}", $"S-{i}", 4, verified ? $"O-{i}" : null)), ReasonCodes.UnverifiedShare));
    }

    [Theory]
    [InlineData(new[] { 5, 5, 1, 5 }, true)]
    [InlineData(new[] { 5, 4, 3, 5 }, false)]
    public void Only_one_and_five_star_ratings_trip_extreme_ratings(int[] ratings, bool trips)
    {
        Assert.Equal(trips, Trips(Reviews(4, TimeSpan.FromDays(1), i => ($"L-{i}", $"S-{i}", ratings[i], $"O-{i}")), ReasonCodes.ExtremeRatings));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Reviews_concentrated_on_one_seller_trip_seller_concentration(bool oneSeller, bool trips)
    {
        Assert.Equal(trips, Trips(Reviews(4, TimeSpan.FromDays(1), i => ($"L-{i}", oneSeller ? "S-1" : $"S-{i}", 4, $"O-{i}")), ReasonCodes.SellerConcentration));
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(2, false)]
    public void Accounts_co_reviewing_three_listings_with_this_one_trip_lockstep(int sharedListings, bool trips)
    {
        var events = Reviews(sharedListings, TimeSpan.FromMinutes(30), i => ($"L-{i}", "S-1", 5, null));

        Assert.Equal(trips, Trips(events, ReasonCodes.Lockstep, _ => new ReviewerContext(CoReviewerIds: ["C-2", "C-3"])));
    }

    [Fact]
    public void Co_reviews_reported_later_to_the_earlier_reviewer_also_trip_lockstep()
    {
        var state = Fold.Reviewer(Reviews(3, TimeSpan.FromMinutes(30), i => ($"L-{i}", "S-1", 5, null)));
        foreach (var other in new[] { "C-2", "C-3" })
        {
            for (var l = 0; l < 3; l++) state = ReviewerRules.ObserveCoReview(state, new CoReviewFact(other, $"L-{l}", ScenarioBuilder.DefaultStart + TimeSpan.FromHours(2)), PolicyOptions.Default).State;
        }

        Assert.StartsWith("2 accounts each co-reviewed 3+ of the same listings", Fold.ReasonOf(state.Enforcement, ReasonCodes.Lockstep)!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(1, false)]
    public void Refund_of_an_order_after_praising_it_trips_review_then_refund(int rating, bool trips)
    {
        var b = new ScenarioBuilder();
        var order = b.Order("O-1", "L-1", "S-1", "C-1");
        var events = new List<IntegrityEvent> { order, b.Advance(TimeSpan.FromDays(2)).Review("L-1", "S-1", "C-1", rating, "ok", "O-1"), b.Advance(TimeSpan.FromDays(1)).Refund(order) };

        Assert.Equal(trips, Trips(events, ReasonCodes.ReviewThenRefund));
    }

    [Fact]
    public void Refund_arriving_before_its_order_and_review_is_still_matched()
    {
        var b = new ScenarioBuilder();
        var order = b.Order("O-1", "L-1", "S-1", "C-1");
        var review = b.Advance(TimeSpan.FromDays(2)).Review("L-1", "S-1", "C-1", 5, "ok", "O-1");
        var refund = b.Advance(TimeSpan.FromDays(1)).Refund(order);

        Assert.True(Trips([refund, review, order], ReasonCodes.ReviewThenRefund));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Same_text_pasted_on_several_listings_trips_near_duplicate_text(bool pasted, bool trips)
    {
        var events = Reviews(3, TimeSpan.FromDays(1), i => ($"L-{i}", $"S-{i}", 5, null),
            i => pasted ? "Excellent quality and super fast shipping, would definitely buy again!" : HonestTraffic.Sentence(new Random(i + 50)));

        Assert.Equal(trips, Trips(events, ReasonCodes.NearDuplicateText));
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(24 * 700, false)]
    public void First_review_hours_after_account_creation_trips_new_account(int accountAgeHours, bool trips)
    {
        var b = new ScenarioBuilder();
        var review = b.Review("L-1", "S-1", "C-1", 5, "ok", "O-1", b.Now - TimeSpan.FromHours(accountAgeHours));

        Assert.Equal(trips, Trips([review], ReasonCodes.NewAccount));
    }
}
