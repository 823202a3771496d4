using System.Diagnostics;
using System.Net;
using Integrity.Testing;
using Xunit.Abstractions;

namespace Integrity.Resilience.Tests;

/// <summary>
/// A rolling restart, as a deployment does it: three silos on one Azurite (Azure Table membership) under a steady load
/// sent round-robin over the silos that are up; each silo in turn is stopped gracefully (SIGTERM, its exit awaited) and
/// started again on the same ports, and the next one only once it is Active again in the membership table.
/// </summary>
public sealed class ClusterRollingRestartTests(ITestOutputHelper output)
{
    private const double EventsPerSecond = 250;

    /// <summary>The load comes in rounds of this many events (14 s), each on entities of its own, until every silo has restarted.</summary>
    private const int EventsPerRound = 3_500;

    /// <summary>Honest sellers of each round's market.</summary>
    private const int Sellers = 150;

    [Fact]
    public async Task Restarting_every_silo_in_turn_under_load_applies_every_accepted_event_exactly_once()
    {
        // The staleness gate has its own tests; here its refusals would only thin the load.
        await using var cluster = await HostCluster.StartAsync(3, "rolling", c =>
        {
            c["Ingest:MaxStoredLagSeconds"] = "3600";
            // A read of an entity still on a stopping silo answers 503 after this, not after the 10 s response timeout.
            c["QueryApi:GrainReadTimeout"] = "00:00:02";
            // The directory's range hand-overs, to read beside the probe's gaps.
            c["Logging:LogLevel:Orleans.Runtime.GrainDirectory"] = "Debug";
        });
        var clock = Stopwatch.StartNew();
        var up = new HashSet<int>(cluster.Running);
        IReadOnlyList<int> Up()
        {
            lock (up)
            {
                return [.. up.Order()];
            }
        }

        using var stop = new CancellationTokenSource();
        var load = LoadAsync(cluster, Up, stop.Token);
        var probe = ProbeAsync(cluster, Up, stop.Token);

        try
        {
            // Some load first, so every partition has work on the way when the first silo goes.
            while (load.Accepted() < 1_500 && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(50);
            }

            for (var silo = 0; silo < cluster.Count; silo++)
            {
                Assert.False(load.Task.IsCompleted, "the load ended before every silo was restarted");
                var placement = await cluster.PartitionSilosAsync(via: Up().First(s => s != silo));
                var itsPartitions = placement.Where(p => cluster.IsSilo(p.Value, silo)).Select(p => p.Key).Order().ToList();
                lock (up)
                {
                    up.Remove(silo);
                }

                var atStop = (await cluster.Tables.ProgressAsync()).ToDictionary(p => p.Partition);
                var stopping = Stopwatch.StartNew();
                var exitCode = await cluster.StopAsync(silo, TimeSpan.FromSeconds(60));
                var exited = stopping.Elapsed;
                Assert.Equal(0, exitCode);

                // Every partition that had work waiting at the stop moves on, wherever it now runs.
                var waiting = atStop.Values.Where(p => p.Head > p.Checkpoint).Select(p => p.Partition).ToHashSet();
                // Bounds for liveness, not speed (the benchmarks time things): on the 2-core CI machine, with three silos and
                // Azurite on it, partitions resumed in up to 68 s and the cluster settled in 88–118 s in passing runs.
                var resumed = await cluster.Tables.WaitResumedAsync(atStop, waiting, TimeSpan.FromSeconds(180));
                if (!waiting.SetEquals(resumed.Keys))
                {
                    Assert.Fail($"partitions {string.Join(",", waiting.Except(resumed.Keys))} did not resume within 180 s of silo {silo}'s stop; " +
                        $"progress then: {await cluster.ProgressReportAsync(Up().First())}");
                }

                var restarting = Stopwatch.StartNew();
                await cluster.RestartAsync(silo, TimeSpan.FromSeconds(120));
                var healthy = restarting.Elapsed;
                await cluster.WaitActiveAsync(silo, TimeSpan.FromSeconds(60));
                var active = restarting.Elapsed;
                lock (up)
                {
                    up.Add(silo);
                }

                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: silo {silo} (partitions {string.Join(",", itsPartitions)}): exited {exited.TotalSeconds:0.0}s after SIGTERM; " +
                    $"partitions with work waiting resumed (after its exit) {string.Join(", ", resumed.OrderBy(r => r.Key).Select(r => $"p{r.Key} {r.Value.TotalSeconds:0.0}s"))}; " +
                    $"restarted: healthy {healthy.TotalSeconds:0.0}s, Active {active.TotalSeconds:0.0}s; {load.Accepted():N0} events accepted so far");
            }

            var restartedAt = clock.Elapsed;
            await stop.CancelAsync();
            var stats = await load.Task;
            var probes = await probe;
            var sent = clock.Elapsed;
            output.WriteLine(probes.ToString());
            var settle = await cluster.Tables.WaitSettledAsync(TimeSpan.FromSeconds(300));
            var stored = await cluster.Tables.StoredEntitiesAsync("-rolling");
            var after = await cluster.PartitionSilosAsync();

            output.WriteLine($"all restarted at {restartedAt.TotalSeconds:0.0}s; load done at {sent.TotalSeconds:0.0}s ({stats.Accepted:N0} events accepted in {stats.Requests:N0} requests, " +
                $"{stats.Unavailable} 503s retried, {stats.TransportErrors} transport errors retried), settled {settle.TotalSeconds:0.0}s later");
            output.WriteLine($"after: {string.Join(", ", after.OrderBy(p => p.Key).Select(p => $"p{p.Key}@{p.Value}"))}; entities checked {load.Ledger.PerEntity().Count:N0}, stored {stored.Count:N0}");

            Assert.Empty(stats.Problems);
            Assert.Empty(load.Ledger.UncertainEventIds());
            Assert.True(probes.LongestGap < TimeSpan.FromSeconds(5), $"no silo answered the API for {probes.LongestGap.TotalSeconds:0.0}s from {probes.LongestGapFrom:HH:mm:ss.fff} UTC (see {HostCluster.LogPath("rolling")})");
            Assert.Equal(8, after.Count);
            // No stopping silo tried to hand a grain's in-memory state over (entity and helper grains are immovable).
            Assert.DoesNotContain("Failed to dehydrate", cluster.Output(), StringComparison.Ordinal);
            Ledgers.AssertExactlyOnce(load.Ledger, stored);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(load.Task, probe).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// The steady load: rounds of <see cref="EventsPerRound"/> events at <see cref="EventsPerSecond"/>, each round on
    /// entities of its own, until <paramref name="stop"/> (the round under way is finished: every batch is answered), all
    /// into one ledger. Its target moves round-robin over the silos that are up every 100 ms. Bounded: at most 40 rounds.
    /// </summary>
    private static RollingLoad LoadAsync(HostCluster cluster, Func<IReadOnlyList<int>> up, CancellationToken stop)
    {
        var load = new RollingLoad();
        load.Task = Task.Run(async () =>
        {
            var stats = new LoadTotals();
            for (var round = 0; round < 40 && !stop.IsCancellationRequested; round++)
            {
                var market = Loads.Market($"rolling{round}", Sellers, EventsPerRound);
                using var sender = Loads.Sender(cluster[up()[0]].BaseAddress, workers: 2, batch: 50, EventsPerRound, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(180),
                    EventsPerSecond, maxRetryAfter: TimeSpan.FromSeconds(1), ledger: load.Ledger);
                using var rotating = new CancellationTokenSource();
                var rotation = cluster.RoundRobinAsync(sender, up, rotating.Token);
                await sender.RunAsync(market.Events);
                await rotating.CancelAsync();
                await rotation;
                stats.Add(sender.Stats);
            }

            return stats;
        });
        return load;
    }

    /// <summary>
    /// Asks every silo that is up for a seller of the load's first round (a grain call and an audit read, the next
    /// seller each time) every 200 ms, each silo on its own, until <paramref name="stop"/>; 200 and 404 (not applied
    /// yet) are answers. The longest gap is the longest time in which no silo answered; it and every failure carry the
    /// wall-clock time (UTC, as in the silos' logs) so that a failure can be read beside <see cref="HostCluster.LogPath"/>.
    /// </summary>
    private static async Task<ProbeResult> ProbeAsync(HostCluster cluster, Func<IReadOnlyList<int>> up, CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        var started = DateTime.UtcNow;
        var answers = new List<TimeSpan>();
        var failures = new List<string>();
        long asked = 0;
        await Task.WhenAll(Enumerable.Range(0, cluster.Count).Select(silo => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && clock.Elapsed < TimeSpan.FromMinutes(5))
            {
                if (up().Contains(silo))
                {
                    var seller = (Interlocked.Increment(ref asked) % Sellers) + 1;
                    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(cluster[silo].BaseAddress, $"/v1/sellers/S-rolling0-{seller:D6}"));
                    request.Headers.Add("X-Api-Key", TestSecrets.AnalystKey);
                    var asking = clock.Elapsed;
                    string? failure;
                    try
                    {
                        using var response = await http.SendAsync(request, CancellationToken.None);
                        failure = response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound
                            ? null
                            : $"{(int)response.StatusCode} {Shorten(await response.Content.ReadAsStringAsync(CancellationToken.None))}";
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        failure = $"{e.GetType().Name}: {e.Message}";
                    }

                    lock (answers)
                    {
                        if (failure is null)
                        {
                            answers.Add(clock.Elapsed);
                        }
                        else
                        {
                            failures.Add($"{started + asking:HH:mm:ss.fff}–{started + clock.Elapsed:HH:mm:ss.fff} silo {silo}, seller {seller}: {failure}");
                        }
                    }
                }

                try
                {
                    await Task.Delay(200, stop);
                }
                catch (OperationCanceledException)
                {
                }
            }
        })));

        var times = answers.Order().Prepend(TimeSpan.Zero).Append(clock.Elapsed).ToList();
        var gaps = times.Zip(times.Skip(1), (from, to) => (From: from, Length: to - from));
        var longest = gaps.MaxBy(g => g.Length);
        return new ProbeResult(answers.Count, failures, longest.Length, started + longest.From);

        static string Shorten(string body) => body.Length <= 300 ? body : body[..300] + "…";
    }

    /// <summary>What the API probe saw: answers, failures (each with its wall-clock span), and the longest time no silo answered.</summary>
    private sealed record ProbeResult(long Answered, IReadOnlyList<string> Failures, TimeSpan LongestGap, DateTime LongestGapFrom)
    {
        public override string ToString() =>
            $"API probe: {Answered:N0} answered, {Failures.Count:N0} failed, longest time with no silo answering {LongestGap.TotalSeconds:0.0}s " +
            $"(from {LongestGapFrom:HH:mm:ss.fff} UTC)" + string.Concat(Failures.Take(10).Select(f => $"\n  {f}"));
    }

    /// <summary>The load under way: its rounds' figures when done, and the one ledger of every round.</summary>
    private sealed class RollingLoad
    {
        public Task<LoadTotals> Task { get; set; } = null!;

        public EventLedger Ledger { get; } = new();

        /// <summary>Events accepted so far, all rounds.</summary>
        public long Accepted() => Ledger.Count;
    }

    /// <summary>The sender's figures summed over the rounds.</summary>
    private sealed class LoadTotals
    {
        public long Accepted { get; private set; }

        public long Requests { get; private set; }

        public long Unavailable { get; private set; }

        public long TransportErrors { get; private set; }

        public List<string> Problems { get; } = [];

        public void Add(RunStatistics round)
        {
            var totals = round.Totals();
            Accepted += totals.EventsAccepted;
            Requests += totals.Requests;
            Unavailable += round.Answers("503");
            TransportErrors += totals.TransportErrors;
            Problems.AddRange(round.Problems());
        }
    }
}
