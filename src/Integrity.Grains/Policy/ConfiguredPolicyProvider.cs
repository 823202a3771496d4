using Integrity.Domain.Policy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrity.Grains.Policy;

/// <summary>
/// The policy bound from configuration (section <c>Policy</c>, over the defaults), the candidate beside it (section
/// <c>ShadowPolicy</c>, when present) and the last promotion (<see cref="PolicySelector"/> says which decides).
/// Validated at start; on a reload a valid policy takes effect at once (grains read it per event, decisions record its
/// version) and an invalid one is refused with every problem logged, keeping the last valid policy in force. A promotion
/// is handed in by <see cref="PolicyPromotionWatcher"/> (every silo, at start and then at an interval) and by the silo
/// that made it, at once.
/// </summary>
public sealed partial class ConfiguredPolicyProvider : IPolicyProvider, IDisposable
{
    public const string Section = "Policy";

    /// <summary>The candidate policy's section, in the shape of <see cref="Section"/>; also the name of its options.</summary>
    public const string CandidateSection = "ShadowPolicy";

    private readonly ILogger<ConfiguredPolicyProvider> _logger;
    private readonly Func<bool> _candidateConfigured;
    private readonly IDisposable? _subscription;
    private readonly Lock _lock = new();
    private PolicyOptions _configured;
    private PolicyOptions? _candidate;
    private PolicyPromotion? _promotion;
    private volatile PolicySelection _selection;

    /// <summary>Without a candidate policy.</summary>
    public ConfiguredPolicyProvider(IOptionsMonitor<PolicyOptions> monitor, ILogger<ConfiguredPolicyProvider> logger)
        : this(monitor, static () => false, logger)
    {
    }

    /// <param name="candidateConfigured">Whether the configuration holds a <see cref="CandidateSection"/> now (asked on every reload).</param>
    public ConfiguredPolicyProvider(IOptionsMonitor<PolicyOptions> monitor, Func<bool> candidateConfigured, ILogger<ConfiguredPolicyProvider> logger)
    {
        _logger = logger;
        _candidateConfigured = candidateConfigured;
        _configured = Checked(Section, monitor.CurrentValue);
        _candidate = candidateConfigured() ? Checked(CandidateSection, monitor.Get(CandidateSection)) : null;
        _selection = PolicySelector.Select(_configured, _candidate, null);
        _subscription = monitor.OnChange(Reload);
    }

    public PolicyOptions Current => _selection.Active;

    public PolicyOptions? Candidate => _selection.Candidate;

    /// <summary>What decides, what runs in shadow, and the promotion in force if any.</summary>
    public PolicySelection Selection => _selection;

    /// <summary>Takes the last promotion (read from storage, or just made on this silo) into account.</summary>
    public void Apply(PolicyPromotion? promotion)
    {
        lock (_lock)
        {
            if (promotion?.Version == _promotion?.Version && promotion?.At == _promotion?.At)
            {
                return;
            }

            _promotion = promotion;
            Select();
        }
    }

    public void Dispose() => _subscription?.Dispose();

    private void Reload(PolicyOptions reloaded, string? name)
    {
        var section = name == CandidateSection ? CandidateSection : Section;
        if (name != CandidateSection && name != Options.DefaultName)
        {
            return;
        }

        var problems = reloaded.Validate();
        if (problems.Count > 0)
        {
            LogRefused(_logger, section, reloaded.Version, string.Join(" ", problems));
            return;
        }

        lock (_lock)
        {
            if (section == CandidateSection)
            {
                _candidate = _candidateConfigured() ? reloaded : null;
            }
            else
            {
                _configured = reloaded;
            }

            Select();
        }
    }

    private void Select()
    {
        var before = _selection;
        _selection = PolicySelector.Select(_configured, _candidate, _promotion);
        if (before.Active.Version != _selection.Active.Version)
        {
            LogReloaded(_logger, before.Active.Version, _selection.Active.Version, _selection.Promotion is null ? "configuration" : "promotion");
        }

        if (before.Candidate?.Version != _selection.Candidate?.Version)
        {
            LogCandidate(_logger, before.Candidate?.Version ?? "none", _selection.Candidate?.Version ?? "none");
        }
    }

    private static PolicyOptions Checked(string section, PolicyOptions policy) =>
        policy.Validate() is { Count: > 0 } problems ? throw new OptionsValidationException(section, typeof(PolicyOptions), problems) : policy;

    [LoggerMessage(Level = LogLevel.Information, Message = "Policy in force: {From} -> {To} (by {Source})")]
    private static partial void LogReloaded(ILogger logger, string from, string to, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Candidate policy in shadow: {From} -> {To}")]
    private static partial void LogCandidate(ILogger logger, string from, string to);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Section} {Version} refused: {Problems} The last valid one stays in force.")]
    private static partial void LogRefused(ILogger logger, string section, string version, string problems);
}
