namespace Integrity.Domain.Events;

/// <summary>The kinds of entity an event can touch; the grain layer routes an event to one grain per touched entity.</summary>
public enum EntityKind
{
    Seller,
    Listing,

    /// <summary>A customer account: the same id is the buyer on orders and the reviewer on reviews.</summary>
    Reviewer,
    Brand,
    Category,

    /// <summary>A keyed hash of a personal identifier (bank account, device...), id formatted as <c>kind:hash</c>.</summary>
    Identifier,
}
