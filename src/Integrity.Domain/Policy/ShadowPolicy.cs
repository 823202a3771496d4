namespace Integrity.Domain.Policy;

/// <summary>
/// A candidate policy made active: its whole content (so every silo runs exactly what was promoted, whatever its own
/// configuration holds), the configured version it replaced, who promoted it and when.
/// </summary>
public sealed record PolicyPromotion(string Version, string ReplacedVersion, PolicyOptions Policy, DateTimeOffset At, string Actor, string? Note);

/// <summary>The policies in force on a silo: the one that decides, and the candidate beside it (none when there is none).</summary>
public sealed record PolicySelection(PolicyOptions Active, PolicyOptions? Candidate, PolicyPromotion? Promotion);

/// <summary>
/// Which policy decides and which runs in shadow, from the configured policy, the configured candidate and the last
/// promotion. A promotion supersedes the configured version it replaced: while the configuration still names that
/// version, the promoted policy decides; once the configuration names another (an operator wrote the promoted policy,
/// or a newer one, into <c>Policy</c>), the configuration rules again. A candidate runs only while its version is not the
/// one deciding (after its promotion it has nothing left to compare).
/// </summary>
public static class PolicySelector
{
    public static PolicySelection Select(PolicyOptions configured, PolicyOptions? candidate, PolicyPromotion? promotion)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var inForce = promotion is not null && promotion.ReplacedVersion == configured.Version ? promotion : null;
        var active = inForce?.Policy ?? configured;
        var shadow = candidate is not null && candidate.Version != active.Version ? candidate : null;
        return new PolicySelection(active, shadow, inForce);
    }
}
