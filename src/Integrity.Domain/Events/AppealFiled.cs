namespace Integrity.Domain.Events;

/// <summary>
/// A seller, listing owner or reviewer contests an enforcement step: the appellant's <see cref="Statement"/>, and
/// <see cref="Attachments"/> as references (URLs or the platform's document ids), never the documents themselves.
/// <see cref="DecisionId"/> names the decision contested; without it, the entity's latest step-up still in force.
/// </summary>
public sealed record AppealFiled(
    string EventId,
    DateTimeOffset OccurredAt,
    string AppealId,
    EntityKind EntityKind,
    string EntityId,
    string Statement,
    IReadOnlyList<string> Attachments,
    string? DecisionId = null) : IntegrityEvent(EventId, OccurredAt)
{
    public override IEnumerable<EntityRef> TouchedEntities()
    {
        yield return new(EntityKind, EntityId);
    }
}
