namespace Integrity.Domain.Events;

/// <summary>A reference to one entity an event touches.</summary>
public readonly record struct EntityRef(EntityKind Kind, string Id)
{
    public override string ToString() => $"{Kind}/{Id}";
}
