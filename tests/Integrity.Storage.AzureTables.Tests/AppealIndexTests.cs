using Integrity.Contracts;
using Integrity.Domain.Serialization;
using Integrity.Storage.AzureTables.Index;

namespace Integrity.Storage.AzureTables.Tests;

public sealed class AppealIndexTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A filed appeal as the entity grains audit it (AuditRecords.FromAppeal).</summary>
    private static AuditRecord Filed(string entityId, string appealId, DateTimeOffset at) => new("seller", entityId, "appeal/" + appealId, "appeal",
        at, at.AddSeconds(1), "PayoutsHeld", 71.5, "v1", null, DomainJson.Serialize(new
        {
            appealId, eventId = "evt-" + appealId, filedAt = at, statement = new string('x', 400), attachments = new[] { "https://p.example/1", "DOC-1" },
            decisionId = $"seller/{entityId}/3/evt-9", fromLevel = 2, toLevel = 3, contestedFrom = "NewListingsBlocked", contestedTo = "PayoutsHeld",
            decidedStepAt = T0.AddDays(-1), reasonCodes = new[] { "BRUSHING" },
        }));

    private static AuditRecord Action(string entityId, string origin, string? appealId) => new("seller", entityId, $"seller/{entityId}/2/analyst/a", "action",
        T0.AddHours(1), T0.AddHours(1), "NewListingsBlocked", 70, "v1", "alice",
        DomainJson.Serialize(new { toLevel = 2, fromLevel = 3, origin, appealId }));

    [Fact]
    public void A_filed_appeal_opens_a_row_keyed_oldest_first_with_what_it_contests()
    {
        var later = AppealIndex.Of(Filed("S-1", "AP-1", T0.AddHours(1)))!.Opened!;
        var earlier = AppealIndex.Of(Filed("S-2", "AP-2", T0))!.Opened!;

        Assert.True(string.CompareOrdinal(earlier.RowKey, later.RowKey) < 0);
        var row = AppealIndex.Read(later);
        Assert.Equal(("seller", "S-1", "AP-1", "seller/S-1/3/evt-9", "NewListingsBlocked", "PayoutsHeld", 3), (row.Kind, row.Id, row.AppealId, row.DecisionId, row.ContestedFrom, row.ContestedTo, row.ContestedLevel));
        Assert.Equal(["BRUSHING"], row.ReasonCodes);
        Assert.Equal((2, AppealIndex.StatementPreview + 1), (row.Attachments, row.Statement.Length));
        Assert.Equal(AppealIndex.CaseKey("seller", "S-1", "AP-1"), later.GetString("CaseKey"));
    }

    [Fact]
    public void Only_an_appeal_outcome_closes_its_row()
    {
        var closed = AppealIndex.Of(Action("S-1", "appeal_reversed", "AP-1"));

        Assert.Equal(new AppealIndex.Change(AppealIndex.CaseKey("seller", "S-1", "AP-1"), null), closed);
        Assert.Null(AppealIndex.Of(Action("S-1", "analyst_reverse", null)));
        Assert.Null(AppealIndex.Of(Action("S-1", "analyst_reverse", "AP-1")));
        Assert.Null(AppealIndex.Of(Filed("S-1", "AP-1", T0) with { Kind = "decision" }));
    }
}
