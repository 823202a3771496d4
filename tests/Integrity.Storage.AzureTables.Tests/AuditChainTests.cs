using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Integrity.Contracts;
using Integrity.Contracts.Audit;
using Integrity.Storage.AzureTables.Audit;
using Integrity.Testing;

namespace Integrity.Storage.AzureTables.Tests;

/// <summary>
/// The audit trail's hash chain on a real Azurite: built across batches and silos, idempotent under replay, started
/// after legacy rows, and every edit, insertion and removal made directly in the tables named by the verifier.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AuditChainTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 15, 0, TimeSpan.Zero);

    [Fact]
    public async Task Rows_appended_over_several_batches_form_one_chain_that_verifies()
    {
        var audit = await NewTableAsync();
        var a = Records("seller", "S-1", 0, 5);
        var b = Records("listing", "L-1", 0, 2);

        await audit.AppendAsync([a[0], b[0], a[1]]);
        await audit.AppendAsync([a[2], a[3], b[1]]);
        await audit.AppendAsync([a[4]]);

        var trail = await audit.ReadTrailAsync("seller", "S-1");
        Assert.Equal([1L, 2, 3, 4, 5], trail.Entries.Select(e => e.Link!.Seq).Order());
        Assert.Equal(a.Select(r => r.EntryId), trail.Entries.OrderBy(e => e.Link!.Seq).Select(e => e.Record.EntryId));
        Assert.Equal(new ChainHead(5, trail.Entries.Single(e => e.Link!.Seq == 5).Link!.Hash), trail.Head);
        Assert.NotEmpty(trail.Digests);
        var verdict = AuditChainVerifier.Verify(trail);
        Assert.True(verdict.Intact, verdict.Summary);
        Assert.Equal(5, verdict.Chained);
        Assert.True((await audit.VerifyEntityAsync("listing", "L-1")).Intact);
        // The chain's own rows stay out of the history readers.
        Assert.Equal(5, (await audit.ReadEntityAsync("seller", "S-1")).Count);
        Assert.Equal(7, (await audit.ReadRangeAsync(Start.AddDays(-1), Start.AddDays(1))).Count);
    }

    [Fact]
    public async Task Appends_stay_one_transaction_per_table_for_new_and_known_entities()
    {
        var counter = new RequestCounter();
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        _prefix = UniqueNames.Table("Audit");
        var audit = new AuditTable(new TableServiceClient(azurite.ConnectionString, options), _prefix);
        await audit.CreateIfNotExistsAsync();
        var records = Records("seller", "S-cheap", 0, 4);

        counter.Count = 0;
        await audit.AppendAsync(records.Take(2).ToList());
        var first = counter.Count;
        counter.Count = 0;
        await audit.AppendAsync(records.Skip(2).ToList());
        var second = counter.Count;

        // One entity-group transaction for the entity's rows and its chain head, one for the hour's rows and digest.
        Assert.Equal(2, first);
        Assert.Equal(2, second);
        Assert.True((await audit.VerifyEntityAsync("seller", "S-cheap")).Intact);
    }

    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count
        {
            get => Volatile.Read(ref _count);
            set => Volatile.Write(ref _count, value);
        }

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }

    [Fact]
    public async Task Entries_appended_again_keep_their_first_row_and_the_chain()
    {
        var audit = await NewTableAsync();
        var a = Records("seller", "S-replay", 0, 3);
        await audit.AppendAsync(a);
        var before = await audit.ReadTrailAsync("seller", "S-replay");

        // A replay after a crash makes the same decisions again, recorded at another time; a fresh silo has no cached head.
        var again = new AuditTable(new TableServiceClient(azurite.ConnectionString), _prefix!);
        await again.AppendAsync([.. a.Select(r => r with { RecordedAt = r.RecordedAt.AddMinutes(5) }), .. Records("seller", "S-replay", 3, 1)]);

        var after = await audit.ReadTrailAsync("seller", "S-replay");
        Assert.Equal(4, after.Entries.Count);
        foreach (var row in before.Entries)
        {
            Assert.Equal(row, after.Entries.Single(e => e.Record.EntryId == row.Record.EntryId));
        }

        Assert.Equal(4, after.Head!.Seq);
        Assert.True(AuditChainVerifier.Verify(after).Intact);
    }

    [Fact]
    public async Task Two_silos_appending_for_one_entity_at_once_keep_one_unbroken_chain()
    {
        var silo1 = await NewTableAsync();
        var silo2 = new AuditTable(new TableServiceClient(azurite.ConnectionString), _prefix!);
        var records = Records("seller", "S-moved", 0, 40);

        await Task.WhenAll(
            Task.Run(async () => { foreach (var chunk in records.Where((_, i) => i % 2 == 0).Chunk(3)) await silo1.AppendAsync(chunk); }),
            Task.Run(async () => { foreach (var chunk in records.Where((_, i) => i % 2 == 1).Chunk(3)) await silo2.AppendAsync(chunk); }));

        var trail = await silo1.ReadTrailAsync("seller", "S-moved");
        Assert.Equal(40, trail.Entries.Count);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), trail.Entries.Select(e => e.Link!.Seq).Order());
        var verdict = AuditChainVerifier.Verify(trail);
        Assert.True(verdict.Intact, verdict.Summary);
    }

    [Fact]
    public async Task Rows_written_before_the_chain_are_reported_as_where_it_starts()
    {
        var audit = await NewTableAsync();
        var legacy = Records("seller", "S-old", 0, 2);
        foreach (var r in legacy)
        {
            // As the audit table wrote them before the chain: the same columns, no link.
            var row = AuditRows.ToRow(AuditRows.EntityPartition("seller", "S-old"), new ChainedAuditRecord(r, null));
            await audit.ByEntity.AddEntityAsync(row);
        }

        var fresh = Records("seller", "S-old", 2, 2);
        await audit.AppendAsync(fresh);

        var verdict = await audit.VerifyEntityAsync("seller", "S-old");
        Assert.True(verdict.Intact, verdict.Summary);
        Assert.Equal(2, verdict.Unchained);
        Assert.Equal(fresh[0].EntryId, verdict.ChainStartsAt);
        Assert.Contains("2 earlier rows predate it", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edited_row_is_named()
    {
        var (audit, records) = await TrailAsync("S-edit");
        var row = await RowAsync(audit, records[2]);
        row["Details"] = """{"note":"nothing to see here"}""";
        await audit.ByEntity.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        var verdict = await audit.VerifyEntityAsync("seller", "S-edit");

        Assert.False(verdict.Intact);
        Assert.Equal(new AuditTamper(AuditChainVerifier.Edited, 3, records[2].EntryId, "row 3: its content no longer gives the hash it carries"), verdict.FirstTamper);
    }

    [Fact]
    public async Task An_edited_row_whose_hash_was_recomputed_is_named()
    {
        var (audit, records) = await TrailAsync("S-rehash");
        var row = await RowAsync(audit, records[1]);
        var edited = AuditRows.FromRow(row).Record with { Step = "None" };
        row["Step"] = "None";
        row[AuditRows.HashProperty] = AuditChain.Hash(2, row.GetString(AuditRows.PreviousProperty), edited);
        await audit.ByEntity.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        var verdict = await audit.VerifyEntityAsync("seller", "S-rehash");

        Assert.Equal(AuditChainVerifier.Edited, verdict.FirstTamper!.Change);
        Assert.Equal(2, verdict.FirstTamper.Seq);
        Assert.Equal(records[1].EntryId, verdict.FirstTamper.EntryId);
    }

    [Fact]
    public async Task An_inserted_row_is_named_even_when_it_links_to_the_row_before()
    {
        var (audit, records) = await TrailAsync("S-insert");
        var second = await RowAsync(audit, records[1]);
        var forged = AuditRows.FromRow(second).Record with { EntryId = "forged-reinstate", Step = "None", OccurredAt = records[1].OccurredAt.AddSeconds(1) };
        var link = new ChainLink(2, second.GetString(AuditRows.PreviousProperty), AuditChain.Hash(2, second.GetString(AuditRows.PreviousProperty), forged));
        await audit.ByEntity.AddEntityAsync(AuditRows.ToRow(second.PartitionKey, new ChainedAuditRecord(forged, link)));

        var verdict = await audit.VerifyEntityAsync("seller", "S-insert");

        Assert.Equal(new AuditTamper(AuditChainVerifier.Inserted, 2, "forged-reinstate", $"a second row claims seq 2 (the chain continues from entry {records[1].EntryId})"), verdict.FirstTamper);
    }

    [Fact]
    public async Task An_inserted_row_without_chain_is_named()
    {
        var (audit, records) = await TrailAsync("S-insert2");
        var forged = records[3] with { EntryId = "forged-note", Kind = "note", RecordedAt = records[3].RecordedAt.AddSeconds(1), Details = """{"note":"approved"}""" };
        await audit.ByEntity.AddEntityAsync(AuditRows.ToRow(AuditRows.EntityPartition("seller", "S-insert2"), new ChainedAuditRecord(forged, null)));

        var verdict = await audit.VerifyEntityAsync("seller", "S-insert2");

        Assert.Equal(AuditChainVerifier.Inserted, verdict.FirstTamper!.Change);
        Assert.Equal("forged-note", verdict.FirstTamper.EntryId);
    }

    [Fact]
    public async Task A_removed_row_is_named_by_its_place()
    {
        var (audit, records) = await TrailAsync("S-remove");
        var row = await RowAsync(audit, records[1]);
        await audit.ByEntity.DeleteEntityAsync(row.PartitionKey, row.RowKey);

        var verdict = await audit.VerifyEntityAsync("seller", "S-remove");

        Assert.Equal(new AuditTamper(AuditChainVerifier.Removed, 2, records[0].EntryId, $"row 2 is missing (after entry {records[0].EntryId}, before entry {records[2].EntryId})"), verdict.FirstTamper);
    }

    [Fact]
    public async Task A_removed_last_row_is_named_by_the_chain_head()
    {
        var (audit, records) = await TrailAsync("S-cut");
        var row = await RowAsync(audit, records[^1]);
        await audit.ByEntity.DeleteEntityAsync(row.PartitionKey, row.RowKey);

        var verdict = await audit.VerifyEntityAsync("seller", "S-cut");

        Assert.Equal(AuditChainVerifier.Removed, verdict.FirstTamper!.Change);
        Assert.Equal(records.Count, verdict.FirstTamper.Seq);
    }

    [Fact]
    public async Task A_trail_deleted_whole_is_found_by_the_hourly_digests()
    {
        var (audit, records) = await TrailAsync("S-gone");
        await TrailAsync("S-kept", audit);
        await foreach (var row in audit.ByEntity.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {AuditRows.EntityPartition("seller", "S-gone")}")))
        {
            await audit.ByEntity.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        var entity = await audit.VerifyEntityAsync("seller", "S-gone");
        var range = await audit.VerifyRangeAsync(Start.AddHours(-1), Start.AddHours(3));

        Assert.Equal(AuditChainVerifier.Removed, entity.FirstTamper!.Change);
        Assert.StartsWith("the whole trail is gone", entity.FirstTamper.Detail, StringComparison.Ordinal);
        Assert.False(range.Intact);
        Assert.Equal(2, range.Entities);
        var failure = Assert.Single(range.Failures);
        Assert.Equal("S-gone", failure.EntityId);
        Assert.Equal(AuditChainVerifier.Removed, failure.FirstTamper!.Change);
        Assert.Equal(records.Count, (await audit.ReadTrailAsync("seller", "S-gone")).Digests.Max(d => d.Seq));
    }

    private string? _prefix;

    private async Task<AuditTable> NewTableAsync()
    {
        _prefix = UniqueNames.Table("Audit");
        var table = new AuditTable(new TableServiceClient(azurite.ConnectionString), _prefix);
        await table.CreateIfNotExistsAsync();
        return table;
    }

    /// <summary>A seller's five-row trail, appended in two batches (and an hour apart, so over two digest hours).</summary>
    private async Task<(AuditTable Audit, IReadOnlyList<AuditRecord> Records)> TrailAsync(string seller, AuditTable? audit = null)
    {
        audit ??= await NewTableAsync();
        var records = Records("seller", seller, 0, 5);
        await audit.AppendAsync(records.Take(3).ToList());
        await audit.AppendAsync(records.Skip(3).Select(r => r with { OccurredAt = r.OccurredAt.AddHours(1) }).ToList());
        var verdict = await audit.VerifyEntityAsync("seller", seller);
        Assert.True(verdict.Intact, verdict.Summary);
        return (audit, [.. records.Take(3), .. records.Skip(3).Select(r => r with { OccurredAt = r.OccurredAt.AddHours(1) })]);
    }

    private static async Task<TableEntity> RowAsync(AuditTable audit, AuditRecord record) =>
        (await audit.ByEntity.GetEntityAsync<TableEntity>(AuditRows.EntityPartition(record.EntityKind, record.EntityId), AuditRows.RowKey(record))).Value;

    /// <summary>Decisions and analyst actions as the grains write them: reasons with evidence, notes, scores and no score.</summary>
    private static List<AuditRecord> Records(string kind, string id, int from, int count) =>
    [
        .. Enumerable.Range(from, count).Select(i => i % 3 == 2
            ? new AuditRecord(kind, id, $"note/{id}-{i}", "note", Start.AddMinutes(i), Start.AddMinutes(i).AddSeconds(1), "Warning", 0.5, "p1", $"alice (key ab12)",
                $$"""{"note":"checked call {{i}}, «ok»"}""")
            : new AuditRecord(kind, id, $"{id}/d{i}", "decision", Start.AddMinutes(i), Start.AddMinutes(i).AddTicks(1234567), i % 2 == 0 ? "Warning" : "PayoutsHeld",
                i % 2 == 0 ? 0.1 * i + 0.0123 : null, "p1", null,
                $$"""{"decisionId":"{{id}}/d{{i}}","reasons":[{"code":"BRUSHING","message":"41 repeat buyers","eventIds":["e{{i}}","e{{i + 1}}"]}],"triggeringEventIds":["e{{i}}"]}""")),
    ];
}
