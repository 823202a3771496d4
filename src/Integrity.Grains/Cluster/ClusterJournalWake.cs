using System.Threading.Channels;
using Integrity.Contracts;
using Integrity.Contracts.Services;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integrity.Grains.Cluster;

/// <summary>
/// Carries journal wakes between silos. An append on this silo wakes the partition's reader here at once
/// (<see cref="JournalWakeSignals"/>); if another silo reads the partition, this service tells every other silo, at most
/// once per <see cref="Pace"/> with every partition appended to since, one-way. A silo told of a partition wakes its
/// reader of it, if it has one. A single silo sends nothing (it lists only itself).
/// </summary>
public sealed partial class ClusterJournalWake(IClusterClient client, JournalWakeSignals signals, TimeProvider time, ILogger<ClusterJournalWake> logger)
    : BackgroundService, IJournalWakeObserver
{
    /// <summary>The shortest time between two wakes sent; appends in between ride on the next.</summary>
    public static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(20);

    /// <summary>How old the list of silos may be when a wake is sent.</summary>
    private static readonly TimeSpan ListAge = TimeSpan.FromSeconds(1);

    private readonly Channel<bool> _appended = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly HashSet<int> _pending = [];

    public Task WakeAsync(int[] partitions)
    {
        foreach (var p in partitions)
        {
            signals.AppendedElsewhere(p);
        }

        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lease = new ObserverLease<IJournalWakeObserver>(client, this, logger);
        signals.Forward += OnAppended;
        try
        {
            await Task.WhenAll(lease.HoldAsync(stoppingToken), SendAsync(lease.Self, stoppingToken));
        }
        finally
        {
            signals.Forward -= OnAppended;
        }
    }

    private void OnAppended(int partition)
    {
        lock (_pending)
        {
            _pending.Add(partition);
        }

        _appended.Writer.TryWrite(true);
    }

    private async Task SendAsync(IJournalWakeObserver self, CancellationToken stoppingToken)
    {
        IReadOnlyList<IJournalWakeObserver> others = [];
        var listedAt = DateTimeOffset.MinValue;
        try
        {
            while (await _appended.Reader.WaitToReadAsync(stoppingToken))
            {
                _appended.Reader.TryRead(out _);
                int[] partitions;
                lock (_pending)
                {
                    partitions = [.. _pending];
                    _pending.Clear();
                }

                if (time.GetUtcNow() - listedAt > ListAge)
                {
                    try
                    {
                        others = [.. (await ObserverRegistry.Of<IJournalWakeObserver>(client).GetObserversAsync()).Where(o => !o.Equals(self))];
                        listedAt = time.GetUtcNow();
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // The registry may be moving after a silo loss: wake the silos listed last time.
                        LogListFailed(logger, e.Message);
                    }
                }

                foreach (var other in others)
                {
                    try
                    {
                        await other.WakeAsync(partitions);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // A dead silo: its partitions move, and their new readers read from their checkpoint.
                        LogWakeFailed(logger, e.Message);
                    }
                }

                await Task.Delay(Pace, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the cluster's journal readers failed, waking those read last: {Error}")]
    private static partial void LogListFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Waking another silo's journal readers failed: {Error}")]
    private static partial void LogWakeFailed(ILogger logger, string error);
}
