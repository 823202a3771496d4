namespace Integrity.Domain;

/// <summary>Anchor type for the domain assembly (used for assembly scanning and serializer registration).</summary>
public static class DomainAssembly
{
}
