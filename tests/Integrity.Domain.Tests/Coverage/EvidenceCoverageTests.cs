using Integrity.Domain.Coverage;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.Replay;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Coverage;

/// <summary>
/// The coverage switch: a signal whose evidence the platform never sends does not count, and says so where it trips;
/// once the evidence arrives it counts exactly as before. Run on the production orchestrator, coverage observed from
/// the events as the engine does live.
/// </summary>
public sealed class EvidenceCoverageTests
{
    /// <summary>One account writing five unverified 5-star reviews on one seller's listings within a day.</summary>
    private static List<IntegrityEvent> UnverifiedReviews(ScenarioBuilder b) =>
        [.. Enumerable.Range(0, 5).Select(i => (IntegrityEvent)b.Advance(TimeSpan.FromHours(2)).Review($"L-{i}", "S-1", "C-1", 5, $"Great product number {i}, works well."))];

    private static Reason? Unverified(ReplayEngine engine) => Fold.ReasonOf(engine.Reviewer("C-1").Enforcement, ReasonCodes.UnverifiedShare);

    [Fact]
    public void Without_verified_reviews_unverified_share_does_not_count_and_its_reason_says_what_is_missing()
    {
        var engine = new ReplayEngine().ApplyAll(UnverifiedReviews(new ScenarioBuilder()));

        var reason = Unverified(engine);
        Assert.NotNull(reason);
        Assert.True(reason.Inactive);
        Assert.Equal(0, reason.Weight);
        Assert.StartsWith("not counted (no reviews naming the order they verify seen yet): 5 of 5 reviews", reason.Message);

        var allSent = new ReplayEngine(coverage: EvidenceCoverage.AllSent()).ApplyAll(UnverifiedReviews(new ScenarioBuilder()));
        var counted = Unverified(allSent);
        Assert.NotNull(counted);
        Assert.Equal(PolicyOptions.Default.Rule(ReasonCodes.UnverifiedShare).Weight, counted.Weight);
        Assert.True(engine.Reviewer("C-1").Enforcement.Score < allSent.Reviewer("C-1").Enforcement.Score,
            $"without orders {engine.Reviewer("C-1").Enforcement.Score}, with {allSent.Reviewer("C-1").Enforcement.Score}");
    }

    [Fact]
    public void Once_reviews_name_their_orders_unverified_share_fires_as_it_does_when_everything_is_sent()
    {
        // Another account's review naming its order, before these: the platform verifies reviews, this account's are not.
        var b = new ScenarioBuilder();
        List<IntegrityEvent> events = [b.Review("L-9", "S-9", "C-9", 4, "Verified purchase, fine.", orderId: "O-9"), .. UnverifiedReviews(b)];

        var observed = new ReplayEngine().ApplyAll(events);
        var allSent = new ReplayEngine(coverage: EvidenceCoverage.AllSent()).ApplyAll(events);

        var reason = Unverified(observed);
        Assert.NotNull(reason);
        Assert.False(reason.Inactive);
        Assert.Equal(PolicyOptions.Default.Rule(ReasonCodes.UnverifiedShare).Weight, reason.Weight);
        Assert.Equal(Unverified(allSent), reason, ReasonComparer);
        Assert.Equal(allSent.Reviewer("C-1").Enforcement.Score, observed.Reviewer("C-1").Enforcement.Score);
    }

    [Fact]
    public void Order_events_alone_do_not_make_reviews_verifiable()
    {
        // A platform that sends orders but never links a review to its order: every review would look unverified.
        var b = new ScenarioBuilder();
        List<IntegrityEvent> events = [b.Order("O-1", "L-9", "S-9", "C-9"), .. UnverifiedReviews(b)];

        var engine = new ReplayEngine().ApplyAll(events);

        Assert.True(engine.Coverage.IsSent(EvidenceSource.Orders));
        Assert.False(engine.Coverage.IsSent(EvidenceSource.VerifiedReviews));
        Assert.True(Unverified(engine)!.Inactive);
    }

    [Fact]
    public void Complaints_on_a_platform_without_orders_are_no_complaint_rate()
    {
        var b = new ScenarioBuilder();
        List<IntegrityEvent> complaints = [b.Listing("L-1", "S-1"), .. Enumerable.Range(0, 6).Select(i => (IntegrityEvent)b.Advance(TimeSpan.FromHours(3)).Complaint("L-1", "S-1", $"C-{i}"))];

        var without = new ReplayEngine().ApplyAll(complaints);
        var rate = Fold.ReasonOf(without.Listing("L-1").Enforcement, ReasonCodes.ComplaintRate);
        Assert.NotNull(rate);
        Assert.True(rate.Inactive);
        Assert.Contains("no order events seen yet", rate.Message, StringComparison.Ordinal);
        Assert.Equal(0, without.Listing("L-1").Enforcement.Level);

        var b2 = new ScenarioBuilder();
        List<IntegrityEvent> withOrders = [b2.Listing("L-1", "S-1"), b2.Order("O-1", "L-1", "S-1", "C-99"), .. Enumerable.Range(0, 6).Select(i => (IntegrityEvent)b2.Advance(TimeSpan.FromHours(3)).Complaint("L-1", "S-1", $"C-{i}"))];
        var counted = Fold.ReasonOf(new ReplayEngine().ApplyAll(withOrders).Listing("L-1").Enforcement, ReasonCodes.ComplaintRate);
        Assert.NotNull(counted);
        Assert.False(counted.Inactive);
        Assert.Equal(PolicyOptions.Default.Rule(ReasonCodes.ComplaintRate).Weight, counted.Weight);
    }

    [Fact]
    public void A_declaration_wins_over_what_is_observed()
    {
        var b = new ScenarioBuilder();
        List<IntegrityEvent> events = [b.Review("L-9", "S-9", "C-9", 4, "Verified purchase, fine.", orderId: "O-9"), .. UnverifiedReviews(b)];
        var coverage = new EvidenceCoverage(new EvidenceCoverageOptions { Declared = { [EvidenceSource.VerifiedReviews] = false } });

        var engine = new ReplayEngine(coverage: coverage).ApplyAll(events);

        Assert.Equal(1, engine.Coverage.Tally()[EvidenceSource.VerifiedReviews].Events);
        Assert.False(engine.Coverage.IsSent(EvidenceSource.VerifiedReviews));
        Assert.Contains("the platform declares it sends no reviews naming the order they verify", Unverified(engine)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_source_counts_as_sent_only_after_MinEvents_of_it()
    {
        var coverage = new EvidenceCoverage(new EvidenceCoverageOptions { MinEvents = 2 });
        var b = new ScenarioBuilder();

        Assert.False(coverage.Observe(b.Order("O-1", "L-1", "S-1", "C-1")));
        Assert.Equal("1 of the 2 order events needed seen so far", coverage.InactiveBecause(ReasonCodes.Brushing));
        Assert.True(coverage.Observe(b.Order("O-2", "L-1", "S-1", "C-2")));
        Assert.Null(coverage.InactiveBecause(ReasonCodes.Brushing));
    }

    [Fact]
    public void The_gated_policy_is_built_once_per_change_of_what_is_sent()
    {
        var coverage = new EvidenceCoverage();
        var policy = PolicyOptions.Default;
        var b = new ScenarioBuilder();

        var first = coverage.Gate(policy);
        coverage.Observe(b.Review("L-1", "S-1", "C-1", 5, "Fine."));
        var afterReview = coverage.Gate(policy);
        Assert.NotSame(first, afterReview);
        coverage.Observe(b.Review("L-2", "S-1", "C-2", 5, "Fine too."));
        Assert.Same(afterReview, coverage.Gate(policy));

        Assert.Equal(policy.Version, afterReview.Version);
        Assert.Equal(0, afterReview.Rule(ReasonCodes.UnverifiedShare).Weight);
        Assert.Equal(policy.Rule(ReasonCodes.ReviewVelocity).Weight, afterReview.Rule(ReasonCodes.ReviewVelocity).Weight);
        Assert.Equal(0.2, policy.Rule(ReasonCodes.UnverifiedShare).Weight); // the configured policy is left as it was
        Assert.Same(policy, EvidenceCoverage.AllSent().Gate(policy));
    }

    [Fact]
    public void The_report_names_every_signal_and_why_the_inactive_ones_do_not_count()
    {
        var b = new ScenarioBuilder();
        var engine = new ReplayEngine().ApplyAll(UnverifiedReviews(b));

        var report = engine.Coverage.Report();

        Assert.Equal(ReasonCodes.AllSignals.Order(), report.Signals.Select(s => s.Code).Order());
        Assert.Equal(5, report.Sources.Single(s => s.Source == "Reviews").Events);
        var unverified = report.Signals.Single(s => s.Code == ReasonCodes.UnverifiedShare);
        Assert.False(unverified.Active);
        Assert.Equal(["Reviews", "VerifiedReviews"], unverified.Needs);
        Assert.Equal("no reviews naming the order they verify seen yet", unverified.InactiveBecause);
        Assert.True(report.Signals.Single(s => s.Code == ReasonCodes.ReviewVelocity).Active);
        Assert.Contains(report.InactiveSignals(), s => s.Code == ReasonCodes.LinkedNetwork && s.InactiveBecause == "no seller identifiers seen yet");
    }

    [Fact]
    public void Counts_added_from_elsewhere_sum_and_keep_the_earliest_and_latest_times()
    {
        var b = new ScenarioBuilder();
        var here = new EvidenceCoverage();
        var first = b.Order("O-1", "L-1", "S-1", "C-1");
        var last = b.Advance(TimeSpan.FromDays(1)).Order("O-2", "L-1", "S-1", "C-2");
        here.Observe(last);
        var elsewhere = new EvidenceCoverage();
        elsewhere.Observe(first);

        here.Add(elsewhere.Tally());

        var orders = here.Tally()[EvidenceSource.Orders];
        Assert.Equal(2, orders.Events);
        Assert.Equal(first.OccurredAt, orders.FirstAt);
        Assert.Equal(last.OccurredAt, orders.LastAt);
        Assert.Equal(here.Tally().Sources, EvidenceTally.Empty.Plus(here.Tally()).Sources);
    }

    [Fact]
    public void Bad_options_are_named()
    {
        var problem = Assert.Single(new EvidenceCoverageOptions { MinEvents = 0 }.Validate());
        Assert.Equal("Coverage:MinEvents: must be ≥ 1, got 0.", problem);
        Assert.Throws<ArgumentException>(() => new EvidenceCoverage(new EvidenceCoverageOptions { MinEvents = 0 }));
    }

    [Fact]
    public void Every_signal_names_the_evidence_it_stands_on() =>
        Assert.All(ReasonCodes.AllSignals, code => Assert.True(SignalEvidence.Knows(code), $"{code} has no entry in SignalEvidence"));

    private static readonly IEqualityComparer<Reason?> ReasonComparer = EqualityComparer<Reason?>.Create(
        (a, b) => a is not null && b is not null && a.Code == b.Code && a.Message == b.Message && a.Weight == b.Weight && a.EventIds.SequenceEqual(b.EventIds),
        r => r?.Code.GetHashCode(StringComparison.Ordinal) ?? 0);
}
