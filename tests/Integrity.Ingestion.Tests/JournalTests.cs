using System.Collections.Concurrent;
using Azure.Data.Tables;
using Integrity.Domain.Events;
using Integrity.Domain.Serialization;
using Integrity.Storage.AzureTables.Journal;
using Integrity.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Integrity.Ingestion.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class JournalTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Every_event_type_round_trips_through_the_journal_unchanged()
    {
        var journal = await CreateJournalAsync(partitions: 1);
        IntegrityEvent[] events =
        [
            new SellerRegistered("e1", At, "S-1", "Shop", new IdentifierSet(BankAccount: "b1", Phone: "p1", Ip: "i1")),
            new SellerUpdated("e2", At, "S-1", null, new IdentifierSet(Email: "m1")),
            new ListingCreated("e3", At, "L-1", "S-1", "Sneakers 鞋", "Très bien", "B-1", "shoes", 49.99m, "EUR"),
            new ListingUpdated("e4", At, "L-1", "S-1", "Sneakers", "", null, "shoes", 0.01m, "EUR"),
            new OrderPlaced("e5", At, "O-1", "L-1", "S-1", "C-1", 19.99m, "EUR", "ship", "pay", new IdentifierSet(Device: "d1")),
            new OrderCancelled("e6", At, "O-1", "L-1", "S-1", "C-1", 19.99m, "EUR"),
            new OrderRefunded("e7", At, "O-1", "L-1", "S-1", "C-1", 19.99m, "EUR"),
            new OrderDelivered("e8", At, "O-1", "L-1", "S-1", "C-1", 19.99m, "EUR"),
            new ReviewPosted("e9", At, "R-1", "L-1", "S-1", "C-1", 1, "Terrible \"fake\"\nline", "O-1", At.AddDays(-3)),
            new ComplaintFiled("e10", At, "K-1", ComplaintKind.NotAsDescribed, "L-1", "S-1", "C-2"),
            new BrandRegistered("e11", At, "B-1", "Acme", ["acme", "ACME pro"], 120m, new Dictionary<string, decimal> { ["shoes"] = 99.5m }, "EUR", ["S-2"], []),
            new BrandReported("e12", At, "BR-1", BrandReportKind.Counterfeit, "B-1", "L-1", "S-1"),
        ];

        var result = await journal.AppendAsync(events, CancellationToken.None);
        var rows = await journal.ReadAsync(0, 0, 10, CancellationToken.None);

        Assert.Equal(12, result.Events);
        var read = Assert.Single(rows).Events;
        Assert.Equal(events.Select(e => e.GetType()), read.Select(e => e.GetType()));
        Assert.Equal(
            events.Select(e => DomainJson.Serialize<IntegrityEvent>(e)),
            read.Select(e => DomainJson.Serialize(e)));
        Assert.Equal(events[8], read[8]);
    }

    [Fact]
    public async Task Rows_have_the_documented_layout()
    {
        var table = UniqueNames.Table("journal");
        var journal = await CreateJournalAsync(partitions: 8, table: table);
        var review = new ReviewPosted("e1", At, "R-1", "L-1", "s-42", "C-1", 5, "ok");

        await journal.AppendAsync([review], CancellationToken.None);

        var client = new TableServiceClient(azurite.ConnectionString).GetTableClient(table);
        var entities = await client.QueryAsync<TableEntity>().ToListAsync();
        Assert.Equal(2, entities.Count);
        var row = entities.Single(e => e.RowKey != "head");
        Assert.Equal("p003", row.PartitionKey);
        Assert.Equal("0000000000000000001", row.RowKey);
        Assert.Equal(1, row.GetInt32("Count"));
        Assert.Equal("gzip-json-v1", row.GetString("Format"));
        Assert.NotNull(row.GetBinary("Data"));
        Assert.NotNull(row.GetDateTimeOffset("AppendedAt"));
        var head = entities.Single(e => e.RowKey == "head");
        Assert.Equal("p003", head.PartitionKey);
        Assert.Equal(2L, head.GetInt64("Next"));
        Assert.Equal(1, await journal.HeadAsync(3));
        Assert.Equal(0, await journal.HeadAsync(0));
    }

    [Fact]
    public void Partition_follows_the_seller_then_the_brand_and_is_stable()
    {
        Assert.Equal(3, JournalPartitioner.PartitionOf("s-42", 8));
        Assert.Equal(0, JournalPartitioner.PartitionOf("seller-1", 8));
        var review = new ReviewPosted("e1", At, "R-1", "L-1", "s-42", "C-1", 5, "ok");
        var listing = new ListingCreated("e2", At, "L-9", "s-42", "t", "d", "B-1", "c", 1m, "EUR");
        var brand = new BrandRegistered("e3", At, "B-1", "Acme", [], null, null, "EUR", [], []);
        var report = new BrandReported("e4", At, "BR-1", BrandReportKind.Trademark, "B-1", null, "s-42");

        Assert.Equal("s-42", JournalPartitioner.RoutingKey(review));
        Assert.Equal("s-42", JournalPartitioner.RoutingKey(listing));
        Assert.Equal("s-42", JournalPartitioner.RoutingKey(report));
        Assert.Equal("B-1", JournalPartitioner.RoutingKey(brand));
        Assert.Equal(3, JournalPartitioner.PartitionOf(listing, 8));
        Assert.Equal("p007", JournalPartitioner.PartitionKey(7));
    }

    [Fact]
    public async Task Sequence_numbers_are_unique_and_gap_free_under_16_concurrent_appenders_on_two_journals()
    {
        var table = UniqueNames.Table("journal");
        var silos = new[] { await CreateJournalAsync(partitions: 2, table: table), await CreateJournalAsync(partitions: 2, table: table) };
        var sent = new ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, 16).Select(appender => Task.Run(async () =>
        {
            var journal = silos[appender % 2];
            for (var i = 0; i < 15; i++)
            {
                var events = Enumerable.Range(0, 1 + (i % 3))
                    .Select(k => (IntegrityEvent)new ReviewPosted($"a{appender}-{i}-{k}", At, "R", "L", $"S-{(appender + i + k) % 5}", "C", 4, "ok"))
                    .ToList();
                await journal.AppendAsync(events, CancellationToken.None);
                foreach (var e in events)
                {
                    sent.Add(e.EventId);
                }
            }
        })));

        var stored = new List<string>();
        for (var partition = 0; partition < 2; partition++)
        {
            var rows = await silos[0].ReadAsync(partition, 0, 1000, CancellationToken.None);
            Assert.Equal(Enumerable.Range(1, rows.Count).Select(i => (long)i), rows.Select(r => r.Sequence));
            Assert.Equal(rows.Count, await silos[1].HeadAsync(partition));
            stored.AddRange(rows.SelectMany(r => r.Events).Select(e => e.EventId));
        }

        Assert.Equal(sent.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Concurrent_small_appends_are_group_committed_into_few_rows()
    {
        var journal = await CreateJournalAsync(partitions: 1);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            journal.AppendAsync([new ReviewPosted($"g{i}", At, "R", "L", "S-1", "C", 3, "ok")], CancellationToken.None)));

        var rows = await journal.ReadAsync(0, 0, 1000, CancellationToken.None);
        Assert.Equal(200, rows.Sum(r => r.Events.Count));
        Assert.True(rows.Count <= 20, $"200 concurrent appends took {rows.Count} rows");
        Assert.Equal(200, rows.SelectMany(r => r.Events).Select(e => e.EventId).Distinct().Count());
    }

    [Fact]
    public async Task A_large_append_is_split_into_rows_in_order()
    {
        var journal = await CreateJournalAsync(partitions: 1, configure: o => o.MaxEventsPerRow = 1000);
        var events = Enumerable.Range(0, 2500).Select(i => (IntegrityEvent)new ReviewPosted($"big{i}", At, "R", "L", "S-1", "C", 3, new string('t', 200))).ToList();

        var result = await journal.AppendAsync(events, CancellationToken.None);

        var rows = await journal.ReadAsync(0, 0, 10, CancellationToken.None);
        Assert.Equal([1000, 1000, 500], rows.Select(r => r.Events.Count));
        Assert.Equal(events.Select(e => e.EventId), rows.SelectMany(r => r.Events).Select(e => e.EventId));
        Assert.Equal(new JournalAppendedRange(0, 1, 3, 2500), Assert.Single(result.Ranges));
    }

    [Fact]
    public async Task Appends_beyond_the_pending_bound_are_refused_without_storing_anything()
    {
        var journal = await CreateJournalAsync(partitions: 1, configure: o => o.MaxPendingEvents = 10);
        var first = journal.AppendAsync([.. Enumerable.Range(0, 10).Select(i => (IntegrityEvent)new ReviewPosted($"p{i}", At, "R", "L", "S-1", "C", 3, "ok"))], CancellationToken.None);

        var refused = await Assert.ThrowsAsync<JournalOverloadedException>(() =>
            journal.AppendAsync([new ReviewPosted("late", At, "R", "L", "S-1", "C", 3, "ok")], CancellationToken.None));

        await first;
        Assert.Equal(10, refused.PendingEvents);
        Assert.DoesNotContain((await journal.ReadAsync(0, 0, 10, CancellationToken.None)).SelectMany(r => r.Events), e => e.EventId == "late");
        await journal.AppendAsync([new ReviewPosted("later", At, "R", "L", "S-1", "C", 3, "ok")], CancellationToken.None);
    }

    [Fact]
    public async Task Reading_a_journal_whose_table_is_not_created_yet_finds_nothing_instead_of_failing()
    {
        // On a fresh store the silo's partition readers may poll before the host has created the table.
        var journal = new TableEventJournal(
            new TableEventJournalOptions { ConnectionString = azurite.ConnectionString, TableName = UniqueNames.Table("journal"), PartitionCount = 2 },
            TimeProvider.System,
            NullLogger<TableEventJournal>.Instance);

        Assert.Empty(await journal.ReadAsync(1, 0, 10, CancellationToken.None));
    }

    private async Task<TableEventJournal> CreateJournalAsync(int partitions, string? table = null, Action<TableEventJournalOptions>? configure = null)
    {
        var options = new TableEventJournalOptions
        {
            ConnectionString = azurite.ConnectionString,
            TableName = table ?? UniqueNames.Table("journal"),
            PartitionCount = partitions,
        };
        configure?.Invoke(options);
        var journal = new TableEventJournal(options, TimeProvider.System, NullLogger<TableEventJournal>.Instance);
        await journal.CreateIfNotExistsAsync();
        return journal;
    }
}
