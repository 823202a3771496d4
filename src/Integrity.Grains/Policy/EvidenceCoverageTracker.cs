using Integrity.Contracts;
using Integrity.Domain.Coverage;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrity.Grains.Policy;

/// <summary>How often a silo exchanges evidence counts with the deployment's total (section <c>Coverage</c>).</summary>
public sealed class CoverageSyncOptions
{
    /// <summary>
    /// The longest a silo decides without knowing a source another silo has seen. A source this silo sees for the first
    /// time is sent at once.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<string> Validate()
    {
        if (RefreshInterval <= TimeSpan.Zero || RefreshInterval > TimeSpan.FromMinutes(5))
        {
            yield return $"Coverage:RefreshInterval: must be within (0, 5 min], got {RefreshInterval}.";
        }
    }
}

/// <summary>
/// This silo's view of what the platform sends: the deployment's total as last read, plus what this silo's consumers
/// delivered since. Consumers count each journal row before delivering it, so an entity on this silo is judged with
/// every source its own row carries; sources seen on other silos arrive within <see cref="CoverageSyncOptions.RefreshInterval"/>.
/// Entity grains read the policy through <see cref="Gate"/>.
/// </summary>
public sealed partial class EvidenceCoverageTracker(
    IGrainFactory grains, IOptions<EvidenceCoverageOptions> coverageOptions, IOptions<CoverageSyncOptions> syncOptions, TimeProvider time,
    ILogger<EvidenceCoverageTracker> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly Lock _lock = new();
    private readonly EvidenceCoverageOptions _options = coverageOptions.Value;
    private EvidenceCoverage _view = new(coverageOptions.Value);
    private EvidenceCoverage _pending = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    /// <summary>What this silo knows now (replaced, never changed, once read: safe to read from any thread).</summary>
    public EvidenceCoverage Current => _view;

    /// <summary><paramref name="policy"/> as it applies to what this deployment sends.</summary>
    public PolicyOptions Gate(PolicyOptions policy) => _view.Gate(policy);

    /// <summary>Counts one journal row's events before they are delivered.</summary>
    public void Observe(IReadOnlyList<IntegrityEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var newlySent = false;
        lock (_lock)
        {
            foreach (var e in events)
            {
                newlySent |= _view.Observe(e);
                _pending.Observe(e);
            }
        }

        if (newlySent)
        {
            _wake.TrySetResult();
        }
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(EvidenceCoverageTracker), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    /// <summary>Sends what this silo counted since the last exchange and takes the deployment's total in its place.</summary>
    internal async Task ExchangeAsync()
    {
        EvidenceTally delta;
        lock (_lock)
        {
            delta = _pending.Tally();
            _pending = new EvidenceCoverage();
        }

        EvidenceTally total;
        try
        {
            total = await grains.GetGrain<IEvidenceCoverageGrain>(IEvidenceCoverageGrain.Key).AddAsync(delta);
        }
        catch
        {
            lock (_lock)
            {
                _pending.Add(delta);
            }

            throw;
        }

        lock (_lock)
        {
            var view = new EvidenceCoverage(_options);
            view.Add(total);
            view.Add(_pending.Tally());
            _view = view;
        }
    }

    /// <summary>Starts exchanging once the silo is active (grains can be called), beginning at once: what the deployment saw before this silo started.</summary>
    private Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = new CancellationTokenSource();
        _wake.TrySetResult();
        _loop = Task.Run(() => RefreshAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null || _loop is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();

        // The last counts of this silo, so a restart does not lose them.
        try
        {
            await ExchangeAsync().WaitAsync(cancellationToken);
        }
        catch (Exception e)
        {
            LogExchangeFailed(logger, e.Message);
        }
    }

    private async Task RefreshAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var wake = _wake.Task;
                await Task.WhenAny(wake, Task.Delay(syncOptions.Value.RefreshInterval, time, stopping));
                stopping.ThrowIfCancellationRequested();
                if (wake.IsCompleted)
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                await ExchangeAsync();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogExchangeFailed(logger, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Exchanging evidence counts with the deployment failed; this silo keeps its counts and tries again: {Error}")]
    private static partial void LogExchangeFailed(ILogger logger, string error);
}
