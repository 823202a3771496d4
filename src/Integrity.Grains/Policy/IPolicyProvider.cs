using Integrity.Domain.Policy;

namespace Integrity.Grains.Policy;

/// <summary>
/// The policy in force now, and the candidate running beside it in shadow (none when none is configured or it was
/// promoted); reloaded from configuration and promotions without a restart (each decision records its version).
/// </summary>
public interface IPolicyProvider
{
    PolicyOptions Current { get; }

    /// <summary>The candidate policy whose would-be decisions are recorded apart and never acted on.</summary>
    PolicyOptions? Candidate => null;
}

/// <summary>A fixed policy (the default one, or a test's).</summary>
public sealed class FixedPolicyProvider(PolicyOptions policy, PolicyOptions? candidate = null) : IPolicyProvider
{
    public PolicyOptions Current => policy;

    public PolicyOptions? Candidate => candidate;
}
