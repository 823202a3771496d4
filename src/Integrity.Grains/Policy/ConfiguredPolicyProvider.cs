using Integrity.Domain.Policy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrity.Grains.Policy;

/// <summary>
/// The policy bound from configuration (section <c>Policy</c>, over the defaults). Validated at start; on a reload a
/// valid policy takes effect at once (grains read it per event, decisions record its version) and an invalid one
/// is refused with every problem logged, keeping the last valid policy in force.
/// </summary>
public sealed partial class ConfiguredPolicyProvider : IPolicyProvider, IDisposable
{
    public const string Section = "Policy";

    private readonly ILogger<ConfiguredPolicyProvider> _logger;
    private readonly IDisposable? _subscription;
    private volatile PolicyOptions _current;

    public ConfiguredPolicyProvider(IOptionsMonitor<PolicyOptions> monitor, ILogger<ConfiguredPolicyProvider> logger)
    {
        _logger = logger;
        _current = Checked(monitor.CurrentValue) is { Count: 0 }
            ? monitor.CurrentValue
            : throw new OptionsValidationException(Section, typeof(PolicyOptions), Checked(monitor.CurrentValue));
        _subscription = monitor.OnChange(Reload);
    }

    public PolicyOptions Current => _current;

    public void Dispose() => _subscription?.Dispose();

    private void Reload(PolicyOptions candidate)
    {
        var problems = Checked(candidate);
        if (problems.Count > 0)
        {
            LogRefused(_logger, candidate.Version, string.Join(" ", problems), _current.Version);
            return;
        }

        if (candidate.Version != _current.Version)
        {
            LogReloaded(_logger, _current.Version, candidate.Version);
        }

        _current = candidate;
    }

    private static IReadOnlyList<string> Checked(PolicyOptions policy) => policy.Validate();

    [LoggerMessage(Level = LogLevel.Information, Message = "Policy reloaded: {From} -> {To}")]
    private static partial void LogReloaded(ILogger logger, string from, string to);

    [LoggerMessage(Level = LogLevel.Error, Message = "Policy {Version} refused: {Problems} Policy {InForce} stays in force.")]
    private static partial void LogRefused(ILogger logger, string version, string problems, string inForce);
}
