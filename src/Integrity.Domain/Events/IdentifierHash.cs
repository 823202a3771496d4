namespace Integrity.Domain.Events;

/// <summary>One keyed-hashed identifier with its kind. <see cref="Key"/> is the identifier-link entity id.</summary>
public sealed record IdentifierHash(IdentifierKind Kind, string Hash)
{
    public string Key => $"{Kind}:{Hash}";

    public EntityRef ToEntityRef() => new(EntityKind.Identifier, Key);
}
