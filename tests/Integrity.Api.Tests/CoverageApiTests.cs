using System.Net;
using System.Text.Json;

namespace Integrity.Api.Tests;

/// <summary>
/// The coverage switch, live: a new deployment whose platform has sent no verified review (none naming its order) does
/// not count UNVERIFIED_SHARE (the reviewer's reason says so, at weight 0), the API says which signals are inactive and
/// why, and once an order and a review naming it arrive the signal counts. Its own host: the shared one has seen orders from its seed.
/// </summary>
public sealed class CoverageApiTests(FreshHostFixture host) : IClassFixture<FreshHostFixture>
{
    private static JsonElement Signal(JsonElement coverage, string code) =>
        coverage.GetProperty("signals").EnumerateArray().Single(s => s.GetProperty("code").GetString() == code);

    private static JsonElement? Reason(JsonElement view, string code) =>
        view.GetProperty("reasons").EnumerateArray().Where(r => r.GetProperty("code").GetString() == code).Select(r => (JsonElement?)r).SingleOrDefault();

    [Fact]
    public async Task Unverified_share_counts_only_once_the_platform_sends_verified_reviews_and_the_api_says_why_not_before()
    {
        using var anonymous = host.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/v1/policy/coverage", UriKind.Relative))).StatusCode);

        var before = await host.WaitForAsync("/v1/policy/coverage", _ => true, TimeSpan.FromSeconds(30));
        var unverified = Signal(before, "UNVERIFIED_SHARE");
        Assert.False(unverified.GetProperty("active").GetBoolean());
        Assert.Equal("reviewer", unverified.GetProperty("entityKind").GetString());
        Assert.Equal("no reviews seen yet; no reviews naming the order they verify seen yet", unverified.GetProperty("inactiveBecause").GetString());
        Assert.False(Signal(before, "REVIEW_VELOCITY").GetProperty("active").GetBoolean()); // no reviews either, yet

        // Five unverified reviews: the signal trips, and its reason says it was not counted.
        const string reviewer = "C-coverage";
        await host.IngestAsync(new Scenarios("coverage").UnverifiedReviews(reviewer, 5));
        var inactive = await host.WaitForAsync($"/v1/reviewers/{reviewer}", v => Reason(v, "UNVERIFIED_SHARE") is not null, TimeSpan.FromSeconds(60));
        var reason = Reason(inactive, "UNVERIFIED_SHARE")!.Value;
        Assert.True(reason.GetProperty("inactive").GetBoolean());
        Assert.Equal(0, reason.GetProperty("weight").GetDouble());
        Assert.StartsWith("not counted (no reviews naming the order they verify seen yet): 5 of 5 reviews", reason.GetProperty("message").GetString(), StringComparison.Ordinal);
        var coverage = await host.WaitForAsync("/v1/policy/coverage", c => c.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("source").GetString() == "Reviews").GetProperty("events").GetInt64() == 5, TimeSpan.FromSeconds(30));
        Assert.True(Signal(coverage, "REVIEW_VELOCITY").GetProperty("active").GetBoolean());

        // Someone else's order and their review naming it: reviews are verified from now on, and the next review counts the signal.
        await host.IngestAsync(new Scenarios("coverage-order").OneVerifiedReview());
        var after = await host.WaitForAsync("/v1/policy/coverage", c => Signal(c, "UNVERIFIED_SHARE").GetProperty("active").GetBoolean(), TimeSpan.FromSeconds(60));
        Assert.Equal(JsonValueKind.Null, Signal(after, "UNVERIFIED_SHARE").GetProperty("inactiveBecause").ValueKind);
        var verified = after.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("source").GetString() == "VerifiedReviews");
        Assert.True(verified.GetProperty("sent").GetBoolean());
        Assert.Equal(1, verified.GetProperty("events").GetInt64());
        Assert.True(Signal(after, "REVIEW_THEN_REFUND").GetProperty("active").GetBoolean()); // order events came too

        await host.IngestAsync(new Scenarios("coverage-more").UnverifiedReviews(reviewer, 1, first: 5));
        var counted = await host.WaitForAsync($"/v1/reviewers/{reviewer}", v => Reason(v, "UNVERIFIED_SHARE") is { } r && !r.GetProperty("inactive").GetBoolean(), TimeSpan.FromSeconds(60));
        var live = Reason(counted, "UNVERIFIED_SHARE")!.Value;
        Assert.Equal(0.2, live.GetProperty("weight").GetDouble());
        Assert.StartsWith("6 of 6 reviews", live.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
