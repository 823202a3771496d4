using Azure.Data.Tables;
using Integrity.Contracts;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Outcomes;
using Integrity.Domain.Serialization;
using Integrity.Storage.AzureTables.Audit;
using Integrity.Testing;

namespace Integrity.Storage.AzureTables.Tests;

/// <summary>
/// The noisy-rules report's read of the durable audit on a real Azurite: actions in the range found in the by-time
/// table, each paired with its entity's decision, also one recorded long before the range.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AuditOutcomesTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Verdicts_in_the_range_are_paired_with_decisions_made_before_it_and_other_rows_are_left_out()
    {
        var audit = new AuditTable(new TableServiceClient(azurite.ConnectionString), UniqueNames.Table("Audit"));
        await audit.CreateIfNotExistsAsync();
        var counterfeit = Decision("listing", "L-1", "listing/L-1/2/e-1", Now.AddDays(-8), new Reason("COUNTERFEIT", "price 20% of reference", 0.2, 0.5, 0.7, ["e-1"]),
            new Reason("REVIEW_ATTACK", "negative burst", 5, 4, 0, ["e-2"]));
        var dumping = Decision("listing", "L-2", "listing/L-2/1/e-3", Now.AddDays(-2), new Reason("PRICE_DUMPING", "price 10% of median", 0.1, 0.3, 0.45, ["e-3"]),
            new Reason("BRAND_REPORTS", "ruled on", 2, 1, 0, ["e-4"], Acknowledged: true));
        await audit.AppendAsync(
        [
            counterfeit,
            dumping,
            Action("listing", "L-1", "analyst/c1", DecisionOrigin.AnalystConfirm, Now.AddMinutes(-5)),
            Action("listing", "L-2", "analyst/r1", DecisionOrigin.AnalystReverse, Now.AddMinutes(-4), dumping.EntryId),
            Action("listing", "L-2", "analyst/o1", DecisionOrigin.AnalystOverride, Now.AddMinutes(-3)),
            Note("listing", "L-2", "note/n1", Now.AddMinutes(-2)),
            // Before the range: not read.
            Action("listing", "L-1", "analyst/old", DecisionOrigin.AnalystReverse, Now.AddHours(-3), counterfeit.EntryId),
        ]);

        var read = await new AuditOutcomes(audit).ReadVerdictsAsync(Now.AddHours(-1), Now);

        Assert.Equal(2, read.Actions);
        Assert.Equal(0, read.Unpaired);
        Assert.False(read.Truncated);
        var byDecision = read.Verdicts.ToDictionary(v => v.DecisionId);
        Assert.Equal(2, byDecision.Count);
        var confirmed = byDecision[counterfeit.EntryId];
        Assert.Equal((OutcomeLabel.Confirmed, "analyst_confirm", "v7"), (confirmed.Label, confirmed.ActionKind, confirmed.PolicyVersion));
        // Only the reasons that weighed in: not a weight-0 reason, nor one an analyst already ruled on.
        Assert.Equal(["COUNTERFEIT"], confirmed.ReasonCodes);
        var reversed = byDecision[dumping.EntryId];
        Assert.Equal((OutcomeLabel.Reversed, "analyst_reverse"), (reversed.Label, reversed.ActionKind));
        Assert.Equal(["PRICE_DUMPING"], reversed.ReasonCodes);

        var empty = await new AuditOutcomes(audit).ReadVerdictsAsync(Now.AddHours(1), Now.AddHours(2));
        Assert.Equal(0, empty.Actions);
        Assert.Empty(empty.Verdicts);
    }

    [Fact]
    public async Task A_range_with_more_actions_than_one_read_pairs_is_marked_truncated()
    {
        var audit = new AuditTable(new TableServiceClient(azurite.ConnectionString), UniqueNames.Table("Audit"));
        await audit.CreateIfNotExistsAsync();
        var decision = Decision("seller", "S-1", "seller/S-1/1/e-1", Now.AddDays(-1), new Reason("BRUSHING", "b", 0.5, 0.4, 0.55, ["e-1"]));
        await audit.AppendAsync([decision, .. Enumerable.Range(0, 3).Select(i => Action("seller", "S-1", $"analyst/c{i}", DecisionOrigin.AnalystConfirm, Now.AddMinutes(-10 + i)))]);

        var read = await new AuditOutcomes(audit).ReadVerdictsAsync(Now.AddHours(-1), Now, maxActions: 2);

        Assert.True(read.Truncated);
        Assert.Equal(2, read.Actions);
    }

    private static AuditRecord Decision(string kind, string id, string decisionId, DateTimeOffset at, params Reason[] reasons)
    {
        var decision = new Decision(decisionId, Enum.Parse<EntityKind>(kind, ignoreCase: true), id, "None", "Flagged", 0, 1, 70, reasons, ["e-1"], "v7", at);
        return new AuditRecord(kind, id, decisionId, "decision", at, at.AddSeconds(1), "Flagged", 70, "v7", null, DomainJson.Serialize(decision));
    }

    private static AuditRecord Action(string kind, string id, string actionId, DecisionOrigin origin, DateTimeOffset at, string? reverses = null)
    {
        var decision = new Decision($"{kind}/{id}/0/{actionId}", Enum.Parse<EntityKind>(kind, ignoreCase: true), id, "Flagged", "Flagged", 1, 1, 70, [],
            reverses is null ? [actionId] : [actionId, reverses], "v8", at, origin, "rita (key 0123)", "why");
        return new AuditRecord(kind, id, decision.DecisionId, "action", at, at, "Flagged", 70, "v8", "rita (key 0123)", DomainJson.Serialize(decision));
    }

    private static AuditRecord Note(string kind, string id, string entryId, DateTimeOffset at) =>
        new(kind, id, entryId, "note", at, at, "Flagged", 70, "v8", "rita (key 0123)", """{"note":"looked at it"}""");
}
