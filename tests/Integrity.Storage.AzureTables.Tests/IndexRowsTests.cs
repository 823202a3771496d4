using Integrity.Storage.AzureTables.Index;

namespace Integrity.Storage.AzureTables.Tests;

public sealed class IndexRowsTests
{
    /// <summary>
    /// Top risk is read in RowKey order, and people read it by the scores shown: two sellers whose scores differ by
    /// less than the key's step (0.1 before) came back ordered by id, out of score order.
    /// </summary>
    [Fact]
    public void Risk_keys_order_entities_by_level_then_by_the_score_their_rows_show()
    {
        RankedEntity Entity(string id, int level, double score) => new("seller", id, level, "warning", score, [], "e", "automatic", DateTimeOffset.UnixEpoch, null);
        var entities = new[]
        {
            Entity("a", 2, 62.31), Entity("b", 2, 62.34), Entity("c", 2, 62.339), Entity("d", 3, 10.0), Entity("e", 2, 99.999), Entity("f", 2, 0.004),
        };

        var listed = entities
            .Select(e => (Key: IndexRows.RiskKey(e), Row: IndexRows.Ranked(IndexRows.ToRow("risk_seller", IndexRows.RiskKey(e), e))))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => r.Row)
            .ToList();

        Assert.Equal(["d", "e", "b", "c", "a", "f"], listed.Select(r => r.Id));
        var shown = listed.Select(r => (r.Level, r.Score)).ToList();
        Assert.Equal(shown.OrderByDescending(r => r.Level).ThenByDescending(r => r.Score), shown);
        Assert.Equal(62.34, listed[2].Score);
    }
}
