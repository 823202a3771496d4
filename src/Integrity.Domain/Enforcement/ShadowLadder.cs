namespace Integrity.Domain.Enforcement;

/// <summary>
/// Where an entity would stand under the candidate policy <see cref="PolicyVersion"/>: a ladder of its own beside the
/// real one, fed the same facts, never acted on. It starts from the real ladder when the candidate first sees the entity
/// (or a new candidate version replaces the last), so the candidate is compared from where the entity really stood.
/// </summary>
public sealed class ShadowLadder
{
    public string PolicyVersion { get; set; } = "";

    public EnforcementState Enforcement { get; set; } = new();

    public static ShadowLadder StartFrom(EnforcementState real, string candidateVersion) => new()
    {
        PolicyVersion = candidateVersion,
        Enforcement = real.Clone(),
    };

    public ShadowLadder Clone() => new() { PolicyVersion = PolicyVersion, Enforcement = Enforcement.Clone() };
}
