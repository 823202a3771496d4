using Integrity.Domain.Policy;

namespace Integrity.Grains.Policy;

/// <summary>The policy in force now; reloaded from configuration without a restart (each decision records its version).</summary>
public interface IPolicyProvider
{
    PolicyOptions Current { get; }
}

/// <summary>A fixed policy (the default one, or a test's).</summary>
public sealed class FixedPolicyProvider(PolicyOptions policy) : IPolicyProvider
{
    public PolicyOptions Current => policy;
}
