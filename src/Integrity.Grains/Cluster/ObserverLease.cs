using Integrity.Contracts;
using Microsoft.Extensions.Logging;

namespace Integrity.Grains.Cluster;

/// <summary>
/// Keeps one silo-wide observer listed in its <see cref="IObserverRegistryGrain{TObserver}"/>: registers it, renews its
/// lease until the silo stops, then unregisters it. A registry that moved after a silo loss is filled again by the next
/// renewal; publishers keep the list they last read meanwhile.
/// </summary>
public sealed partial class ObserverLease<TObserver>(IGrainFactory grains, TObserver observer, ILogger logger)
    where TObserver : class, IGrainObserver
{
    /// <summary>How long a registration holds; renewed three times as often.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>The observer as other silos call it.</summary>
    public TObserver Self { get; } = grains.CreateObjectReference<TObserver>(observer);

    /// <summary>Whether the last registration succeeded and the silo is not stopping.</summary>
    public bool Live { get; private set; }

    /// <summary>Registers and renews until <paramref name="stoppingToken"/> is cancelled, then unregisters.</summary>
    public async Task HoldAsync(CancellationToken stoppingToken)
    {
        var registry = ObserverRegistry.Of<TObserver>(grains);
        try
        {
            for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
            {
                try
                {
                    await registry.RegisterAsync(Self, Lease);
                    Live = true;
                    attempt = 0;
                    await Task.Delay(Lease / 3, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The registry may be moving to another silo; calls keep coming while the lease runs.
                    LogRegisterRetry(logger, typeof(TObserver).Name, attempt, e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            Live = false;
            try
            {
                await registry.UnregisterAsync(Self).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The silo may already be stopping; the lease runs out by itself.
                LogUnregisterFailed(logger, typeof(TObserver).Name, e.Message);
            }

            grains.DeleteObjectReference<TObserver>(Self);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering this silo's {Observer} failed (attempt {Attempt}), retrying: {Error}")]
    private static partial void LogRegisterRetry(ILogger logger, string observer, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unregistering this silo's {Observer} failed at shutdown: {Error}")]
    private static partial void LogUnregisterFailed(ILogger logger, string observer, string error);
}
