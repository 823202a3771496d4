// Measures grain-state writes per second through IGrainStorage against a local Azurite: at concurrency 1 (the
// baseline) and 32, and then rewrites of a population of grains of one kind (one state name) held in one table
// (the baseline) or spread over 16 (TableGrainStorageOptions.TableCount), and prints the ratios.
// Every loop is bounded in count and time.
using System.Diagnostics;
using System.Globalization;
using Integrity.Azurite;
using Integrity.Storage.AzureTables.GrainStorage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var maxWrites = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
int[] concurrencies = [1, 32];

var azuriteStart = Stopwatch.StartNew();
await using var azurite = await LocalAzurite.StartAsync(new LocalAzuriteOptions());
var azuriteStartSeconds = azuriteStart.Elapsed.TotalSeconds;
var storage = new TableGrainStorage(
    "bench",
    new TableGrainStorageOptions { ConnectionString = azurite.ConnectionString, TableName = "benchstate" },
    Options.Create(new ClusterOptions { ServiceId = "bench", ClusterId = "bench" }),
    NullLogger<TableGrainStorage>.Instance);
await storage.InitializeAsync(CancellationToken.None);

Console.WriteLine(FormattableString.Invariant($"Azurite (in memory) pid {azurite.ProcessId} answered on all three ports {azuriteStartSeconds:0.00}s after start; {seconds:0.#}s per run, at most {maxWrites:N0} writes per run"));
Console.WriteLine("| concurrency | writes | writes/s | p50 ms | p99 ms | vs concurrency 1 |");
Console.WriteLine("|---|---|---|---|---|---|");
double? baseline = null;
foreach (var concurrency in concurrencies)
{
    var result = await WriteBench.RunAsync(storage, concurrency, TimeSpan.FromSeconds(seconds), maxWrites);
    baseline ??= result.PerSecond;
    Console.WriteLine(FormattableString.Invariant(
        $"| {concurrency} | {result.Writes:N0} | {result.PerSecond:N0} | {result.P50:0.00} | {result.P99:0.00} | {result.PerSecond / baseline.Value:0.00}x |"));
}

var population = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5_000;
Console.WriteLine();
Console.WriteLine(FormattableString.Invariant($"Rewrites of {population:N0} grains of one kind, concurrency 32, {seconds:0.#}s:"));
Console.WriteLine("| tables | rewrites | rewrites/s | p50 ms | p99 ms | vs one table |");
Console.WriteLine("|---|---|---|---|---|---|");
double? oneTable = null;
foreach (var tableCount in new[] { 1, 16 })
{
    var sharded = new TableGrainStorage(
        "bench",
        new TableGrainStorageOptions { ConnectionString = azurite.ConnectionString, TableName = $"population{tableCount}x", TableCount = tableCount },
        Options.Create(new ClusterOptions { ServiceId = "bench", ClusterId = "bench" }),
        NullLogger<TableGrainStorage>.Instance);
    await sharded.InitializeAsync(CancellationToken.None);
    var result = await WriteBench.RewriteAsync(sharded, population, concurrency: 32, TimeSpan.FromSeconds(seconds), maxWrites);
    oneTable ??= result.PerSecond;
    Console.WriteLine(FormattableString.Invariant(
        $"| {tableCount} | {result.Writes:N0} | {result.PerSecond:N0} | {result.P50:0.00} | {result.P99:0.00} | {result.PerSecond / oneTable.Value:0.00}x |"));
}

internal static class WriteBench
{
    /// <summary>Writes each of <paramref name="population"/> grains once (not timed), then rewrites them round-robin.</summary>
    public static async Task<Result> RewriteAsync(TableGrainStorage storage, int population, int concurrency, TimeSpan duration, int maxWrites)
    {
        var grains = Enumerable.Range(0, population).Select(i => (Id: GrainId.Create("reviewer", $"customer-{i:D6}"), State: new BenchState())).ToArray();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < grains.Length;)
            {
                await storage.WriteStateAsync("reviewer", grains[i].Id, grains[i].State);
            }
        }));

        // Round-robin over the population: a grain comes round again only after all the others.
        return await TimeWritesAsync(concurrency, duration, maxWrites, (_, n) =>
        {
            var (id, state) = grains[(n - 1) % grains.Length];
            state.State.Counter++;
            return storage.WriteStateAsync("reviewer", id, state);
        });
    }

    public sealed record Result(int Writes, double PerSecond, double P50, double P99);

    public static Task<Result> RunAsync(TableGrainStorage storage, int concurrency, TimeSpan duration, int maxWrites)
    {
        // Each worker owns a few grains and keeps their ETags, as activations do.
        var grains = Enumerable.Range(0, concurrency)
            .Select(worker => Enumerable.Range(0, 8).Select(i => (Id: GrainId.Create("bench", $"c{concurrency}-w{worker}-g{i}"), State: new BenchState())).ToArray())
            .ToArray();
        var written = new int[concurrency];
        return TimeWritesAsync(concurrency, duration, maxWrites, (worker, _) =>
        {
            var (id, state) = grains[worker][written[worker]++ % grains[worker].Length];
            state.State.Counter++;
            return storage.WriteStateAsync("state", id, state);
        });
    }

    /// <summary>
    /// <paramref name="concurrency"/> workers, each calling <paramref name="write"/> (its worker number and the write's
    /// number, from 1, across workers) one write after another until <paramref name="duration"/> or
    /// <paramref name="maxWrites"/>; every write is timed.
    /// </summary>
    private static async Task<Result> TimeWritesAsync(int concurrency, TimeSpan duration, int maxWrites, Func<int, int, Task> write)
    {
        var latencies = new List<double>[concurrency];
        var issued = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            for (int n; clock.Elapsed < duration && (n = Interlocked.Increment(ref issued)) <= maxWrites;)
            {
                var started = Stopwatch.GetTimestamp();
                await write(worker, n);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(all.Length, all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    private static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
}

internal sealed class BenchState : IGrainState<BenchPayload>
{
    private BenchPayload _state = new();

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public BenchPayload State
    {
        get => _state;
        set => _state = value ?? new();
    }

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }
}

internal sealed class BenchPayload
{
    public long Counter { get; set; }

    public string Seller { get; set; } = "seller-000123";

    public double[] Scores { get; set; } = [0.1, 0.4, 0.7, 0.2];
}
