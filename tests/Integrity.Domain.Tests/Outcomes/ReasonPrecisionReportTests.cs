using Integrity.Domain.Outcomes;

namespace Integrity.Domain.Tests.Outcomes;

public sealed class ReasonPrecisionReportTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    private static RuleVerdict Verdict(string decision, string kind, int minute, string policy = "v1", params string[] codes) =>
        new(decision, policy, codes, $"analyst/{decision}/{minute}", kind, OutcomeLabels.Of(kind)!.Value, T0.AddMinutes(minute));

    [Fact]
    public void Counts_each_decision_under_every_reason_it_cited_and_under_its_policy_version()
    {
        var report = ReasonPrecisionReport.Build(
        [
            Verdict("d1", "analyst_confirm", 1, "v1", "COUNTERFEIT", "UNAUTHORIZED_BRAND_USE"),
            Verdict("d2", "analyst_confirm", 2, "v1", "COUNTERFEIT"),
            Verdict("d3", "analyst_reverse", 3, "v1", "COUNTERFEIT", "PRICE_DUMPING"),
            Verdict("d4", "analyst_reinstate", 4, "v2", "COUNTERFEIT"),
        ], threshold: 0.5);

        var counterfeit = report.Reasons.Single(r => r.ReasonCode == "COUNTERFEIT" && r.PolicyVersion == "v1");
        Assert.Equal((3, 2, 1), (counterfeit.Labelled, counterfeit.Confirmed, counterfeit.Reversed));
        Assert.Equal(2.0 / 3, counterfeit.Precision, 10);
        Assert.Equal(WilsonInterval.Of(2, 3), new WilsonInterval(counterfeit.Lower, counterfeit.Upper));
        Assert.Equal(new Dictionary<string, int> { ["analyst_confirm"] = 2, ["analyst_reverse"] = 1 }, counterfeit.ByActionKind);
        var underV2 = report.Reasons.Single(r => r.ReasonCode == "COUNTERFEIT" && r.PolicyVersion == "v2");
        Assert.Equal((1, 0, 1), (underV2.Labelled, underV2.Confirmed, underV2.Reversed));
        Assert.Equal(new Dictionary<string, int> { ["analyst_reinstate"] = 1 }, underV2.ByActionKind);
        Assert.Equal((1, 1, 0), Counts(report.Reasons.Single(r => r.ReasonCode == "UNAUTHORIZED_BRAND_USE")));
        Assert.Equal((1, 0, 1), Counts(report.Reasons.Single(r => r.ReasonCode == "PRICE_DUMPING")));
        Assert.Equal((3, 2, 1), Counts(report.Policies.Single(p => p.PolicyVersion == "v1")));
        Assert.Equal((1, 0, 1), Counts(report.Policies.Single(p => p.PolicyVersion == "v2")));
        Assert.All(report.Policies, p => Assert.Null(p.ReasonCode));
        Assert.Equal((4, 2, 2), (report.Decisions, report.Confirmed, report.Reversed));
    }

    [Fact]
    public void A_decision_ruled_on_twice_counts_once_by_its_latest_verdict()
    {
        var report = ReasonPrecisionReport.Build(
        [
            Verdict("d1", "analyst_reverse", 5, "v1", "BRUSHING"),
            Verdict("d1", "analyst_confirm", 1, "v1", "BRUSHING"),
            Verdict("d2", "appeal_upheld", 2, "v1", "BRUSHING"),
        ], threshold: 0.5);

        var row = Assert.Single(report.Reasons);
        Assert.Equal((2, 1, 1), Counts(row));
        Assert.Equal(new Dictionary<string, int> { ["analyst_reverse"] = 1, ["appeal_upheld"] = 1 }, row.ByActionKind);
    }

    [Fact]
    public void Rules_mostly_reversed_are_noisy_and_sort_first_and_few_verdicts_only_warrant_watching()
    {
        var verdicts = new List<RuleVerdict>();
        for (var i = 0; i < 10; i++) verdicts.Add(Verdict($"noisy{i}", i == 0 ? "analyst_confirm" : "analyst_reverse", i, "v1", "NEW_ACCOUNT"));
        for (var i = 0; i < 10; i++) verdicts.Add(Verdict($"good{i}", "analyst_confirm", i, "v1", "COUNTERFEIT"));
        verdicts.Add(Verdict("thin", "analyst_reverse", 1, "v1", "THIN_HISTORY"));

        var report = ReasonPrecisionReport.Build(verdicts, threshold: 0.5);

        Assert.Equal(["NEW_ACCOUNT", "THIN_HISTORY", "COUNTERFEIT"], report.Reasons.Select(r => r.ReasonCode));
        Assert.Equal(PrecisionStatus.Noisy, report.Reasons[0].Status);
        Assert.True(report.Reasons[0].Upper < 0.5);
        Assert.Equal(PrecisionStatus.Watch, report.Reasons[1].Status);
        Assert.Equal(PrecisionStatus.Ok, report.Reasons[2].Status);
        Assert.Equal(PrecisionStatus.Ok, ReasonPrecisionReport.Build(verdicts, threshold: 0.6).Reasons[2].Status);
    }

    [Fact]
    public void No_verdict_is_an_empty_report_and_a_threshold_outside_zero_to_one_is_refused()
    {
        var empty = ReasonPrecisionReport.Build([], threshold: 0.5);

        Assert.Empty(empty.Reasons);
        Assert.Empty(empty.Policies);
        Assert.Equal(0, empty.Decisions);
        Assert.Throws<ArgumentOutOfRangeException>(() => ReasonPrecisionReport.Build([], threshold: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReasonPrecisionReport.Build([], threshold: double.NaN));
    }

    private static (int, int, int) Counts(PrecisionRow row) => (row.Labelled, row.Confirmed, row.Reversed);
}
