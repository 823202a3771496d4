using System.Text;
using Integrity.LoadTests.Evaluation;
using Integrity.Harness.Ledger;
using Integrity.Harness.Market;
using Microsoft.Extensions.Time.Testing;

namespace Integrity.LoadTests.Tests;

public sealed class LedgerCheckTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly EntityKey Seller = new(EntityKind.Seller, "S-1");
    private static readonly EntityKey Listing = new(EntityKind.Listing, "L-1");
    private static readonly EntityKey Buyer = new(EntityKind.Reviewer, "C-1");

    /// <summary>An order event: touches listing, seller and buyer, like the engine routes it.</summary>
    private static GeneratedEvent Order(string id)
    {
        var line = $$"""{"type":"order.placed","schemaVersion":1,"eventId":"{{id}}","occurredAt":"2026-03-02T10:00:00Z","orderId":"O-{{id}}","listingId":"L-1","sellerId":"S-1","buyerId":"C-1","amount":10,"currency":"EUR","shipTo":"1 Buyer Lane","payment":"card-1"}""";
        return WireLine.Read(Encoding.UTF8.GetBytes(line), 0);
    }

    private static (EventLedger Ledger, InMemoryEngineProbe Probe) Accepted(params string[] ids)
    {
        var ledger = new EventLedger();
        foreach (var id in ids) ledger.Add(Order(id), T0);
        return (ledger, new InMemoryEngineProbe());
    }

    private static Dictionary<EntityKey, EntityCounters?> Observe(InMemoryEngineProbe probe, params EntityKey[] entities) =>
        entities.ToDictionary(e => e, e => (EntityCounters?)probe.Entities.GetValueOrDefault(e));

    [Fact]
    public void Every_accepted_event_applied_once_passes()
    {
        var (ledger, probe) = Accepted("e1", "e2", "e3");
        foreach (var e in new[] { Seller, Listing, Buyer }) probe.Apply(e, "e1", "e2", "e3");

        var result = LedgerCheck.Compare(ledger, Observe(probe, Seller, Listing, Buyer));
        Assert.True(result.Passed);
        Assert.Equal(3, result.EntitiesMatching);
        Assert.Equal(9, result.EventsExpected);
        Assert.Equal(9, result.EventsApplied);
    }

    [Fact]
    public void A_lost_event_is_missing_and_named()
    {
        var (ledger, probe) = Accepted("e1", "e2", "e3");
        probe.Apply(Seller, "e1", "e3");
        probe.Apply(Listing, "e1", "e2", "e3");

        var result = LedgerCheck.Compare(ledger, Observe(probe, Seller, Listing, Buyer));
        Assert.False(result.Passed);
        Assert.Equal(1 + 3, result.MissingApplications); // seller lacks e2; the buyer was never seen
        Assert.Contains("Seller/S-1: e2", result.MissingEventIds);
        Assert.Contains(result.Discrepancies, d => d.Kind == EntityKind.Reviewer && d.Applied == 0 && d.Accepted == 3);
    }

    [Fact]
    public void A_doubled_event_and_an_event_never_accepted_are_extra()
    {
        var (ledger, probe) = Accepted("e1", "e2");
        probe.Apply(Seller, "e1", "e2", "e2");
        probe.Apply(Listing, "e1", "e2", "rejected-one");

        var result = LedgerCheck.Compare(ledger, Observe(probe, Seller, Listing));
        Assert.False(result.Passed);
        Assert.Equal(2, result.ExtraApplications);
        Assert.Equal(["Listing/L-1: rejected-one", "Seller/S-1: e2"], result.UnexpectedEventIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Counts_alone_catch_a_surplus_when_the_engine_cannot_list_ids()
    {
        var (ledger, probe) = Accepted("e1", "e2");
        probe.Entities[Seller] = new EntityCounters(EntityKind.Seller, "S-1", 3);
        var result = LedgerCheck.Compare(ledger, Observe(probe, Seller));
        Assert.False(result.Passed);
        Assert.Equal(1, result.ExtraApplications);
        Assert.Empty(result.UnexpectedEventIds);
    }

    [Fact]
    public void An_unanswered_event_may_be_applied_once_or_not_at_all_but_never_twice()
    {
        var (ledger, probe) = Accepted("e1");
        ledger.MarkUncertain(Order("e2"));
        probe.Apply(Seller, "e1", "e2");
        probe.Apply(Listing, "e1");
        Assert.True(LedgerCheck.Compare(ledger, Observe(probe, Seller, Listing)).Passed);

        probe.Apply(Seller, "e2");
        Assert.False(LedgerCheck.Compare(ledger, Observe(probe, Seller)).Passed);
    }

    [Fact]
    public void A_resend_that_is_accepted_later_turns_uncertain_into_accepted()
    {
        var ledger = new EventLedger();
        ledger.MarkUncertain(Order("e1"));
        Assert.True(ledger.Add(Order("e1"), T0));
        Assert.False(ledger.Add(Order("e1"), T0));
        Assert.Empty(ledger.UncertainEventIds());
        Assert.Empty(ledger.UncertainPerEntity());
        Assert.Equal(1, ledger.PerEntity()[Seller]);
    }

    [Fact]
    public async Task Evaluator_waits_for_the_engine_then_reports_ledger_detection_and_decision_latency()
    {
        var time = new FakeTimeProvider(T0);
        var (ledger, probe) = Accepted("e1", "e2");
        var acked = ledger.AcceptedAt("e2")!.Value;
        foreach (var e in new[] { Seller, Listing, Buyer }) probe.Apply(e, "e1", "e2");
        probe.Decisions.Add(new DecisionInfo("d1", EntityKind.Seller, "S-1", "warning", 1, true, T0.AddHours(1), ["BRUSHING"], ["e1", "e2"], acked.AddMilliseconds(250)));
        var truth = new GroundTruth(1, [new("brushing#1", FraudPatterns.Brushing, EntityKind.Seller, "S-1", GroundTruthRole.Culprit, T0)]);

        var evaluation = await new EngineEvaluator(probe, time).EvaluateAsync(ledger, truth, [Seller, Listing, Buyer], new DetectionOptions(), TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.True(evaluation.Ledger.Passed);
        Assert.Equal(1, evaluation.SettleRounds);
        Assert.Equal(1.0, evaluation.Detection.Patterns.Single(p => p.Pattern == FraudPatterns.Brushing).Recall);
        Assert.Equal(3600, evaluation.Detection.Patterns.Single(p => p.Pattern == FraudPatterns.Brushing).TimeToDetect!.MedianSeconds);
        Assert.NotNull(evaluation.EventToDecision);
        Assert.InRange(evaluation.EventToDecision.P50Ms, 249, 251);
    }

    [Fact]
    public async Task Evaluator_gives_up_waiting_after_the_settle_time()
    {
        var time = new WaitObservingTimeProvider(T0);
        var (ledger, probe) = Accepted("e1");
        var evaluating = new EngineEvaluator(probe, time).EvaluateAsync(ledger, new GroundTruth(1, []), [Seller], new DetectionOptions(), TimeSpan.FromSeconds(3), CancellationToken.None);

        // The clock moves only once the evaluator is waiting on it (its delay timer exists), one second per wait, so a
        // slow machine changes how long this takes, never what the evaluator sees. Bounded: at most 10 waits of 10 s each.
        var advances = 0;
        while (advances < 10 && await time.NextTimerOrCompletionAsync(evaluating, TimeSpan.FromSeconds(10)) is { } timer)
        {
            Assert.Equal(TimeSpan.FromSeconds(1), timer.DueTime);
            time.Advance(TimeSpan.FromSeconds(1));
            advances++;
        }

        var evaluation = await evaluating.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(evaluation.Ledger.Passed);
        // Reads at 0, 1, 2 and 3 s: the fourth finds the settle time spent and gives up without waiting again.
        Assert.Equal(3, advances);
        Assert.Equal(4, evaluation.SettleRounds);
        Assert.Equal(4, probe.EntityReads);
        Assert.Equal(T0.AddSeconds(3), time.GetUtcNow());
    }
}
