using System.Diagnostics;
using Integrity.Harness.Market;
using Integrity.Storage.AzureTables;
using Integrity.Testing;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using HarnessKind = Integrity.Harness.Market.EntityKind;

namespace Integrity.LoadTests.Race;

/// <summary>What phase (a) measured.</summary>
public sealed record StandardAppResult(
    int Events, long Applications, double SecondsToProduce, double SecondsToStore, long Writes, long FailedWrites, bool Completed)
{
    /// <summary>Events whose every entity application was written, per second from the first put.</summary>
    public double EventsPerSecond => Events / Math.Max(SecondsToStore, 0.001);

    public double PutsPerSecond => Applications / Math.Max(SecondsToProduce, 0.001);
}

/// <summary>
/// Runs phase (a): one Orleans silo in this process, "the standard Azure setup", on the given Azurite: the official Azure
/// Queue stream provider (implicit subscriptions only, batch delivery, a larger <c>BatchContainerBatchSize</c>) and
/// the official <c>AzureTableGrainStorage</c>. The producer puts one queue message per entity an event touches (seller,
/// listing, reviewer; the fan-out a typical app does), from a number of workers, one seller's events through one
/// worker, and the run ends when every application has been written (or at the bound given).
/// </summary>
public static class StandardAppRun
{
    public static async Task<StandardAppResult> RunAsync(
        string connectionString, IReadOnlyList<GeneratedEvent> events, int workers, int queues, int batchContainerBatchSize, TimeSpan bound, TextWriter progress, CancellationToken cancellationToken)
    {
        StandardApp.Reset();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        // Orleans warns of every queue access over a second ("Slow access to Azure queue"): the figures say it better.
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        var (siloPort, gatewayPort) = (HostProcess.FreePort(), HostProcess.FreePort());
        var clusterId = $"race-{Guid.NewGuid():N}"[..20];
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "race-standard", clusterId: clusterId);
            silo.AddIntegrityGrainState(_ => TableServiceClients.Create(connectionString), "RaceStandardState", StandardApp.Provider);
            silo.AddAzureQueueStreams(StandardApp.Provider, c =>
            {
                c.ConfigureAzureQueue(o => o.Configure(q =>
                {
                    q.QueueServiceClient = new QueueServiceClient(connectionString);
                    q.QueueNames = [.. Enumerable.Range(0, queues).Select(i => $"{clusterId}-{i}")];
                }));
                c.ConfigureCacheSize(4096);
                c.ConfigurePullingAgent(o => o.Configure(p =>
                {
                    p.BatchContainerBatchSize = batchContainerBatchSize;
                    p.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(50);
                }));
                c.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            });
        });

        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var streams = host.Services.GetRequiredService<IClusterClient>().GetStreamProvider(StandardApp.Provider);
            var expected = events.Sum(e => Touches(e).Count());
            var clock = Stopwatch.StartNew();
            var shards = events.GroupBy(e => (uint)StringComparer.Ordinal.GetHashCode(e.ShardKey) % (uint)workers);
            using var reporting = new CancellationTokenSource();
            var reporter = ReportAsync(expected, clock, progress, reporting.Token);
            await Parallel.ForEachAsync(shards, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, async (shard, ct) =>
            {
                foreach (var e in shard)
                {
                    foreach (var (ns, id) in Touches(e))
                    {
                        await streams.GetStream<byte[]>(StreamId.Create(ns, id)).OnNextAsync(e.Line);
                    }
                }
            });
            var produced = clock.Elapsed;
            while (StandardApp.Applied < expected && clock.Elapsed < bound)
            {
                await Task.Delay(100, cancellationToken);
            }

            var stored = clock.Elapsed;
            await reporting.CancelAsync();
            await reporter;
            return new StandardAppResult(events.Count, expected, produced.TotalSeconds, stored.TotalSeconds, StandardApp.Writes, StandardApp.FailedWrites, StandardApp.Applied >= expected);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static IEnumerable<(string Namespace, string Id)> Touches(GeneratedEvent e) =>
        e.Touched.Select(t => t.Kind switch
        {
            HarnessKind.Seller => (StandardApp.Sellers, t.Id),
            HarnessKind.Listing => (StandardApp.Listings, t.Id),
            HarnessKind.Reviewer => (StandardApp.Reviewers, t.Id),
            _ => ("", t.Id),
        }).Where(t => t.Item1.Length > 0);

    private static async Task ReportAsync(long expected, Stopwatch clock, TextWriter progress, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
                await progress.WriteLineAsync($"  (a) {clock.Elapsed.TotalSeconds:0}s: {StandardApp.Applied:N0} of {expected:N0} entity applications stored, {StandardApp.Writes:N0} writes");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
