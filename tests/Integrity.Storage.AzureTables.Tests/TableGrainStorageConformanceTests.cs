using System.Text;
using Azure.Data.Tables;
using Integrity.Storage.AzureTables.GrainStorage;
using Integrity.Testing;
using Orleans.Storage;

namespace Integrity.Storage.AzureTables.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class TableGrainStorageConformanceTests(AzuriteFixture azurite)
{
    private const string StateName = "state";

    private static GrainId NewGrain(string type = "sample") => GrainId.Create(type, Guid.NewGuid().ToString("N"));

    private Task<TableGrainStorage> Storage(Action<TableGrainStorageOptions>? configure = null) =>
        StorageHarness.CreateAsync(azurite.ConnectionString, configure);

    private static async Task<StoredState<SampleState>> Read(IGrainStorage storage, GrainId grain)
    {
        var state = new StoredState<SampleState>();
        await storage.ReadStateAsync(StateName, grain, state);
        return state;
    }

    [Fact]
    public async Task Unicode_state_round_trips()
    {
        var storage = await Storage();
        var grain = NewGrain();
        var written = new StoredState<SampleState>(new SampleState
        {
            Name = "店铺 — café « naïve » 🛒 \u0000 tab\t end",
            Tags = ["治愈癌症", "guérit", "مرحبا", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"],
            Scores = { ["ключ"] = 7 },
        });

        await storage.WriteStateAsync(StateName, grain, written);
        var read = await Read(storage, grain);

        Assert.True(read.RecordExists);
        Assert.Equal(written.State.Name, read.State.Name);
        Assert.Equal(written.State.Tags, read.State.Tags);
        Assert.Equal(7, read.State.Scores["ключ"]);
        Assert.Equal(written.ETag, read.ETag);
    }

    public static TheoryData<string> GrainKeys() => new()
    {
        GrainId.Create("seller", "s-123").ToString(),
        GrainIdKeyExtensions.CreateGuidKey(Guid.Parse("6f1c2a7e-7d0b-4a8e-9d6f-8f4e8a1b2c3d")).ToString(),
        GrainIdKeyExtensions.CreateIntegerKey(42).ToString(),
        GrainIdKeyExtensions.CreateIntegerKey(-7, "region-eu").ToString(),
        GrainIdKeyExtensions.CreateGuidKey(Guid.Parse("0a1b2c3d-0000-4000-8000-000000000001"), "shard/3").ToString(),
    };

    [Theory]
    [MemberData(nameof(GrainKeys))]
    public async Task String_guid_integer_and_compound_keys_round_trip(string key)
    {
        var storage = await Storage();
        var grain = GrainId.Create("sample", key);
        var written = new StoredState<SampleState>(new SampleState { Name = key, Count = 3 });

        await storage.WriteStateAsync(StateName, grain, written);
        var read = await Read(storage, grain);

        Assert.Equal(key, read.State.Name);
        Assert.Equal(3, read.State.Count);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("all/of\\them#at?once")]
    public async Task Keys_with_characters_forbidden_in_table_keys_round_trip(string key)
    {
        var storage = await Storage();
        var grain = GrainId.Create("sample", key);

        await storage.WriteStateAsync(StateName, grain, new StoredState<SampleState>(new SampleState { Name = key }));
        var read = await Read(storage, grain);

        Assert.True(read.RecordExists);
        Assert.Equal(key, read.State.Name);
    }

    [Fact]
    public async Task Row_layout_matches_the_official_Orleans_provider()
    {
        var storage = await Storage();
        var grain = GrainId.Create("seller", "shop/1#x?");
        await storage.WriteStateAsync("profile", grain, new StoredState<SampleState>(new SampleState { Name = "n", Count = 1 }));

        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(storage.TableName);
        var rows = table.Query<TableEntity>().ToList();

        var row = Assert.Single(rows);
        Assert.Equal($"{StorageHarness.ServiceId}_seller_shop_1_x_", row.PartitionKey);
        Assert.Equal("profile", row.RowKey);
        var data = Assert.IsType<byte[]>(row["Data"]);
        var json = Encoding.UTF8.GetString(data);
        Assert.Equal("{\"name\":\"n\",\"count\":1,\"tags\":[],\"scores\":{},\"payload\":\"\"}", json);
        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
        Assert.Empty(row.Keys.Except(["PartitionKey", "RowKey", "Timestamp", "odata.etag", "Data"]));
    }

    [Fact]
    public async Task Compressed_state_is_gzip_in_the_same_columns_round_trips_and_plain_rows_stay_readable()
    {
        var plain = await Storage();
        var compressed = await Storage(o => o.TableName = plain.TableName);
        var compressedOptions = await Storage(o => { o.TableName = plain.TableName; o.CompressState = true; });
        var oldRow = NewGrain();
        var newRow = NewGrain();
        var state = new SampleState { Name = "zipped", Tags = [.. Enumerable.Range(0, 500).Select(i => $"event-{i:D6}")] };
        await plain.WriteStateAsync(StateName, oldRow, new StoredState<SampleState>(state));
        await compressedOptions.WriteStateAsync(StateName, newRow, new StoredState<SampleState>(state));

        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(plain.TableName);
        var stored = table.Query<TableEntity>().ToDictionary(r => r.PartitionKey, r => Assert.IsType<byte[]>(r["Data"]));
        var zipped = stored.Single(r => r.Key.EndsWith(newRow.Key.ToString()!, StringComparison.Ordinal)).Value;
        var json = stored.Single(r => r.Key.EndsWith(oldRow.Key.ToString()!, StringComparison.Ordinal)).Value;
        Assert.Equal([0x1F, 0x8B], zipped[..2]);
        Assert.True(zipped.Length * 3 < json.Length, $"gzip {zipped.Length} bytes vs JSON {json.Length}");
        Assert.Equal(json, GrainStateRow.Json(zipped));

        // Either storage reads either form: switching compression on (or off) needs no migration.
        foreach (var reader in new[] { plain, compressed, compressedOptions })
        {
            foreach (var grain in new[] { oldRow, newRow })
            {
                var read = await Read(reader, grain);
                Assert.Equal("zipped", read.State.Name);
                Assert.Equal(state.Tags, read.State.Tags);
            }
        }
    }

    [Fact]
    public async Task Rows_spread_over_several_tables_keep_the_layout_and_are_all_found_again()
    {
        var storage = await Storage(o => o.TableCount = 4);
        var sellers = Enumerable.Range(0, 40).Select(i => (Grain: GrainId.Create("seller", $"s{i}"), Applied: i + 1L)).ToList();
        foreach (var (grain, applied) in sellers)
        {
            await storage.WriteStateAsync("seller", grain, new StoredState<CountedState>(new CountedState { SellerId = grain.Key.ToString()!, EventsApplied = applied }));
        }

        var service = new TableServiceClient(azurite.ConnectionString);
        var names = Enumerable.Range(0, 4).Select(i => $"{storage.TableName}{i:D2}").ToList();
        Assert.Empty(service.Query($"TableName eq '{storage.TableName}'"));
        var rows = names.Select(n => service.GetTableClient(n).Query<TableEntity>().ToList()).ToList();
        Assert.All(rows, shard => Assert.NotEmpty(shard));
        Assert.Equal(sellers.Count, rows.Sum(r => r.Count));
        Assert.All(rows.SelectMany(r => r), row =>
        {
            Assert.StartsWith($"{StorageHarness.ServiceId}_seller_s", row.PartitionKey, StringComparison.Ordinal);
            Assert.Equal("seller", row.RowKey);
            Assert.IsType<byte[]>(row["Data"]);
        });

        // Another instance with the same options finds each row; so does the counter reader, one by one and all at once.
        var again = await Storage(o => { o.TableName = storage.TableName; o.TableCount = 4; });
        var reader = new GrainStateCounterReader(service, storage.TableName, 4);
        foreach (var (grain, applied) in sellers)
        {
            var state = new StoredState<CountedState>();
            await again.ReadStateAsync("seller", grain, state);
            Assert.True(state.RecordExists);
            Assert.Equal(applied, state.State.EventsApplied);
            Assert.Equal(applied, (await reader.ReadAsync(StorageHarness.ServiceId, "seller", grain.Key.ToString()!))?.EventsApplied);
        }

        var all = new List<StoredEventCounter>();
        await foreach (var counter in reader.ReadAllAsync())
        {
            all.Add(counter);
        }

        Assert.Equal(sellers.Select(s => (s.Grain.Key.ToString(), s.Applied)).Order(), all.Select(c => (c.Id, c.EventsApplied)).Order());
    }

    [Fact]
    public async Task Reading_a_missing_record_gives_a_fresh_state_without_etag()
    {
        var storage = await Storage();
        var read = new StoredState<SampleState>(new SampleState { Name = "stale in memory" }) { ETag = "old", RecordExists = true };

        await storage.ReadStateAsync(StateName, NewGrain(), read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal("", read.State.Name);
    }

    [Fact]
    public async Task Duplicate_insert_is_rejected()
    {
        var storage = await Storage();
        var grain = NewGrain();
        await storage.WriteStateAsync(StateName, grain, new StoredState<SampleState>(new SampleState { Name = "first" }));

        var second = new StoredState<SampleState>(new SampleState { Name = "second" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, second));

        Assert.Equal("first", (await Read(storage, grain)).State.Name);
    }

    [Fact]
    public async Task Write_with_a_stale_etag_is_rejected_and_the_row_is_unchanged()
    {
        var storage = await Storage();
        var grain = NewGrain();
        var state = new StoredState<SampleState>(new SampleState { Name = "v1" });
        await storage.WriteStateAsync(StateName, grain, state);
        var staleEtag = state.ETag;
        state.State.Name = "v2";
        await storage.WriteStateAsync(StateName, grain, state);

        var stale = new StoredState<SampleState>(new SampleState { Name = "v3" }) { ETag = staleEtag };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, stale));

        Assert.Equal("v2", (await Read(storage, grain)).State.Name);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Clear_with_a_stale_etag_is_rejected(bool deleteOnClear)
    {
        var storage = await Storage(o => o.DeleteStateOnClear = deleteOnClear);
        var grain = NewGrain();
        var state = new StoredState<SampleState>(new SampleState { Name = "v1" });
        await storage.WriteStateAsync(StateName, grain, state);
        var staleEtag = state.ETag;
        await storage.WriteStateAsync(StateName, grain, state);

        var stale = new StoredState<SampleState>(new SampleState()) { ETag = staleEtag };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grain, stale));

        Assert.Equal("v1", (await Read(storage, grain)).State.Name);
    }

    [Fact]
    public async Task Two_concurrent_writers_from_the_same_etag_exactly_one_wins()
    {
        var storage = await Storage();
        var grain = NewGrain();
        var initial = new StoredState<SampleState>(new SampleState { Name = "base" });
        await storage.WriteStateAsync(StateName, grain, initial);

        var writers = Enumerable.Range(0, 8)
            .Select(i => new StoredState<SampleState>(new SampleState { Name = $"writer-{i}" }) { ETag = initial.ETag })
            .ToList();
        var outcomes = await Task.WhenAll(writers.Select(async w =>
        {
            try
            {
                await storage.WriteStateAsync(StateName, grain, w);
                return w.State.Name;
            }
            catch (InconsistentStateException)
            {
                return null;
            }
        }));

        var winner = Assert.Single(outcomes, o => o is not null);
        Assert.Equal(winner, (await Read(storage, grain)).State.Name);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Clear_then_read_gives_a_fresh_state(bool deleteOnClear)
    {
        var storage = await Storage(o => o.DeleteStateOnClear = deleteOnClear);
        var grain = NewGrain();
        var state = new StoredState<SampleState>(new SampleState { Name = "doomed", Count = 9 });
        await storage.WriteStateAsync(StateName, grain, state);

        await storage.ClearStateAsync(StateName, grain, state);
        var read = await Read(storage, grain);

        Assert.False(state.RecordExists);
        Assert.False(read.RecordExists);
        Assert.Equal("", read.State.Name);
        Assert.Equal(0, read.State.Count);
        Assert.Equal(state.ETag, read.ETag);
        if (deleteOnClear)
        {
            Assert.Null(read.ETag);
        }
        else
        {
            Assert.NotNull(read.ETag);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Repeated_clears_succeed_and_a_write_after_them_works(bool deleteOnClear)
    {
        var storage = await Storage(o => o.DeleteStateOnClear = deleteOnClear);
        var grain = NewGrain();
        var state = new StoredState<SampleState>(new SampleState { Name = "x" });
        await storage.WriteStateAsync(StateName, grain, state);

        await storage.ClearStateAsync(StateName, grain, state);
        await storage.ClearStateAsync(StateName, grain, state);
        await storage.ClearStateAsync(StateName, grain, state);
        state.State.Name = "back";
        await storage.WriteStateAsync(StateName, grain, state);

        Assert.Equal("back", (await Read(storage, grain)).State.Name);
    }

    [Fact]
    public async Task Every_write_changes_the_etag_even_with_equal_values()
    {
        var storage = await Storage();
        var grain = NewGrain();
        var state = new StoredState<SampleState>(new SampleState { Name = "same" });
        var etags = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            await storage.WriteStateAsync(StateName, grain, state);
            etags.Add(state.ETag);
        }

        Assert.All(etags, Assert.NotNull);
        Assert.Equal(etags.Count, etags.Distinct().Count());
    }

    [Fact]
    public async Task State_near_the_row_limit_round_trips_across_all_fifteen_chunks()
    {
        var storage = await Storage();
        var grain = NewGrain();
        var state = new StoredState<SampleState>(new SampleState { Payload = new string('p', GrainStateRow.MaxStateBytes - 100) });

        await storage.WriteStateAsync(StateName, grain, state);
        var read = await Read(storage, grain);

        Assert.Equal(state.State.Payload, read.State.Payload);
        var row = new TableServiceClient(azurite.ConnectionString).GetTableClient(storage.TableName).Query<TableEntity>().Single();
        Assert.True(row.ContainsKey("Data14"), "a near-limit state fills the last chunk Data14");
    }

    [Fact]
    public async Task State_over_the_limit_fails_clearly_and_the_previous_row_stays_readable()
    {
        var storage = await Storage();
        var grain = NewGrain();
        var state = new StoredState<SampleState>(new SampleState { Name = "good", Count = 1 });
        await storage.WriteStateAsync(StateName, grain, state);
        var goodEtag = state.ETag;

        state.State.Payload = new string('x', GrainStateRow.MaxStateBytes);
        var error = await Assert.ThrowsAsync<GrainStateTooLargeException>(() => storage.WriteStateAsync(StateName, grain, state));

        Assert.Contains("15 × 64 KiB", error.Message, StringComparison.Ordinal);
        Assert.True(error.Size > error.Limit);
        Assert.Equal(goodEtag, state.ETag);
        var read = await Read(storage, grain);
        Assert.Equal("good", read.State.Name);
        Assert.Equal(goodEtag, read.ETag);
    }
}
