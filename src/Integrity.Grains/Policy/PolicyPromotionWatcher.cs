using Integrity.Contracts.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrity.Grains.Policy;

/// <summary>How often every silo reads the last promotion (section <c>PolicyPromotion</c>).</summary>
public sealed class PolicyPromotionOptions
{
    public const string Section = "PolicyPromotion";

    /// <summary>
    /// The longest a silo other than the one that promoted keeps deciding under the replaced policy. Each read is one
    /// point read of one row.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<string> Validate()
    {
        if (RefreshInterval <= TimeSpan.Zero || RefreshInterval > TimeSpan.FromMinutes(5))
        {
            yield return $"RefreshInterval must be within (0, 5 min], got {RefreshInterval}.";
        }
    }
}

/// <summary>
/// Brings a promotion to this silo: read once when the silo starts, before its consumers take any event (a silo that
/// starts after a promotion never decides under the replaced policy), then every <see cref="PolicyPromotionOptions.RefreshInterval"/>
/// until it stops. A read that fails keeps what was read last and is tried again at the next interval.
/// </summary>
// The provider is resolved when the silo starts, not with the lifecycle's participants: a policy that fails validation
// is then reported with every other bad setting, by the options' validation at start.
public sealed partial class PolicyPromotionWatcher(
    IServiceProvider services, IOptions<PolicyPromotionOptions> options, TimeProvider time, ILogger<PolicyPromotionWatcher> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PolicyPromotionWatcher), ServiceLifecycleStage.ApplicationServices, StartAsync, StopAsync);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetRequiredService<IPolicyProvider>() is not ConfiguredPolicyProvider configured)
        {
            return;
        }

        var store = services.GetRequiredService<IPolicyPromotionStore>();
        configured.Apply(await store.ReadAsync(cancellationToken));
        _stopping = new CancellationTokenSource();
        _loop = RefreshAsync(configured, store, _stopping.Token);
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
    }

    private async Task RefreshAsync(ConfiguredPolicyProvider configured, IPolicyPromotionStore store, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.RefreshInterval, time, stopping);
                configured.Apply(await store.ReadAsync(stopping));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogReadFailed(logger, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the policy promotion failed; the policy read last stays in force until the next read: {Error}")]
    private static partial void LogReadFailed(ILogger logger, string error);
}
