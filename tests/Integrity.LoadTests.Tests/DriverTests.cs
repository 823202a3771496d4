using Integrity.Harness.Ledger;
using Integrity.Harness.Sending;
using Integrity.Harness.Market;

namespace Integrity.LoadTests.Tests;

public sealed class DriverTests(GeneratorFixture fixture) : IClassFixture<GeneratorFixture>
{
    private IReadOnlyList<GeneratedEvent> Events => fixture.Market.Events;

    private static SenderOptions Options(Uri target, int events, int batch = 100) => new()
    {
        Target = target,
        ApiKey = FakeIngestServer.Key,
        Concurrency = 4,
        Batch = batch,
        MaxEvents = events,
        Duration = TimeSpan.FromSeconds(20),
        Linger = TimeSpan.FromMilliseconds(5),
    };

    private static async Task<(EventLedger Ledger, RunStatistics Stats)> RunAsync(SenderOptions options, IReadOnlyList<GeneratedEvent> events)
    {
        using var sender = new IngestSender(options);
        await sender.RunAsync(events, CancellationToken.None);
        return (sender.Ledger, sender.Stats);
    }

    [Fact]
    public async Task Accepted_events_enter_the_ledger_rejected_lines_do_not_and_a_503_batch_is_resent_with_the_same_ids()
    {
        await using var server = await FakeIngestServer.StartAsync(s =>
        {
            s.UnavailableFirst = 1;
            s.Reject = id => id.EndsWith('7');
        });
        const int count = 1000;
        var (ledger, stats) = await RunAsync(Options(server.Address, count), Events);

        var sent = Events.Take(count).ToList();
        var rejected = sent.Where(e => e.EventId.EndsWith('7')).ToList();
        Assert.Equal(sent.Select(e => e.EventId).Except(rejected.Select(e => e.EventId)).Order(StringComparer.Ordinal), ledger.EventIds().Order(StringComparer.Ordinal));

        var totals = stats.Totals();
        Assert.Equal(count, totals.EventsSent);
        Assert.Equal(count - rejected.Count, totals.EventsAccepted);
        Assert.Equal(rejected.Count, totals.EventsRejected);
        Assert.Equal(rejected.Count, totals.RejectCodes["INVALID_VALUE"]);
        Assert.Equal(1, totals.Retries);
        Assert.Equal(1, totals.StatusCodes["503"]);
        Assert.Equal(0, totals.EventsUncertain + totals.EventsGivenUp + totals.AnswerMismatches);

        // The refused batch came back whole, with the same event ids, and was then accepted.
        var requests = server.Requests.ToList();
        var refused = requests.Single(r => r.Status == 503);
        Assert.Contains(requests, r => r.Status == 202 && r.EventIds.SequenceEqual(refused.EventIds));
        Assert.Equal(count + refused.EventIds.Length, requests.Sum(r => r.EventIds.Length));

        // Per-entity counts are the accepted events routed like the engine routes them.
        var expected = new Dictionary<EntityKey, long>();
        foreach (var e in sent.Except(rejected))
        {
            foreach (var t in e.Touched) expected[t] = expected.GetValueOrDefault(t) + 1;
        }

        Assert.Equal(expected.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal), ledger.PerEntity().OrderBy(p => p.Key.ToString(), StringComparer.Ordinal));
        Assert.True(stats.Latency().Count == totals.Requests);
    }

    [Fact]
    public async Task One_sellers_events_arrive_in_stream_order_through_one_worker()
    {
        await using var server = await FakeIngestServer.StartAsync();
        const int count = 1500;
        await RunAsync(Options(server.Address, count, batch: 37), Events);

        var position = server.Requests.SelectMany(r => r.EventIds).Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        foreach (var group in Events.Take(count).GroupBy(e => e.ShardKey))
        {
            var order = group.Select(e => position[e.EventId]).ToList();
            Assert.Equal(order.Order(), order);
        }
    }

    [Fact]
    public async Task Gzip_bodies_carry_the_same_events()
    {
        await using var server = await FakeIngestServer.StartAsync();
        var (ledger, _) = await RunAsync(Options(server.Address, 300) with { Gzip = true }, Events);
        Assert.Equal(300, ledger.Count);
        Assert.All(server.Requests, r => Assert.True(r.Gzip));
    }

    [Fact]
    public async Task Retries_are_bounded_and_a_batch_refused_to_the_end_is_given_up_not_accepted()
    {
        await using var server = await FakeIngestServer.StartAsync(s => s.FixedStatus = 503);
        var options = Options(server.Address, 10, batch: 10) with { MaxRetries = 2, Concurrency = 1 };
        var (ledger, stats) = await RunAsync(options, Events);

        Assert.Equal(0, ledger.Count);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(10, stats.Totals().EventsGivenUp);
        Assert.Equal(0, stats.Totals().EventsUncertain);
    }

    [Fact]
    public async Task A_wrong_key_is_not_retried_and_nothing_is_accepted()
    {
        await using var server = await FakeIngestServer.StartAsync();
        var (ledger, stats) = await RunAsync(Options(server.Address, 50, batch: 50) with { ApiKey = "wrong", Concurrency = 1 }, Events);
        Assert.Equal(0, ledger.Count);
        Assert.Equal(1, stats.Totals().StatusCodes["401"]);
        Assert.Equal(50, stats.Totals().EventsGivenUp);
    }

    [Fact]
    public async Task The_duration_bounds_the_run_even_when_the_stream_is_longer()
    {
        await using var server = await FakeIngestServer.StartAsync(s => s.Delay = TimeSpan.FromMilliseconds(100));
        var options = Options(server.Address, Events.Count, batch: 10) with { Duration = TimeSpan.FromSeconds(1), Concurrency = 2 };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (ledger, stats) = await RunAsync(options, Events);

        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 5);
        var totals = stats.Totals();
        Assert.InRange(ledger.Count, 1, Events.Count - 1);
        Assert.Equal(ledger.Count, totals.EventsAccepted);
        Assert.Equal(totals.EventsDispatched, totals.EventsSent + totals.EventsNotSent);
    }

    [Fact]
    public async Task A_target_rate_paces_the_sending()
    {
        await using var server = await FakeIngestServer.StartAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (ledger, _) = await RunAsync(Options(server.Address, 400, batch: 20) with { Rate = 800 }, Events);
        Assert.Equal(400, ledger.Count);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.45, 5);
    }

    [Fact]
    public void Only_loopback_targets_are_accepted()
    {
        Assert.Empty(Options(new Uri("http://127.0.0.1:5080"), 1).Validate());
        Assert.Empty(Options(new Uri("http://localhost:5080"), 1).Validate());
        Assert.Contains(Options(new Uri("http://10.1.2.3:5080"), 1).Validate(), e => e.Contains("loopback", StringComparison.Ordinal));
    }
}
