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

    /// <summary>A seller's credit record under the candidate: its own steps add their penalty points here, never to the real record.</summary>
    public State.CreditRecord? Credit { get; set; }

    public static ShadowLadder StartFrom(EnforcementState real, string candidateVersion, State.CreditRecord? realCredit = null) => new()
    {
        PolicyVersion = candidateVersion,
        Enforcement = real.Clone(),
        Credit = realCredit?.Clone(),
    };

    public ShadowLadder Clone() => new() { PolicyVersion = PolicyVersion, Enforcement = Enforcement.Clone(), Credit = Credit?.Clone() };
}
