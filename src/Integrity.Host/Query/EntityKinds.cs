using Integrity.Contracts;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;

namespace Integrity.Host.Query;

/// <summary>The three entity kinds the API serves, by the names it uses in paths (plural) and in bodies (singular).</summary>
public static class EntityKinds
{
    public sealed record Kind(string Name, string Plural, EntityKind Domain)
    {
        public int TopLevel => Ladders.TopLevel(Domain);

        public IReadOnlyList<string> Ladder => [.. Enumerable.Range(0, TopLevel + 1).Select(l => Ladders.StepName(Domain, l))];

        public IEntityGrain Grain(IGrainFactory grains, string id) => Domain switch
        {
            EntityKind.Seller => grains.GetGrain<ISellerGrain>(id),
            EntityKind.Listing => grains.GetGrain<IListingGrain>(id),
            _ => grains.GetGrain<IReviewerGrain>(id),
        };
    }

    public static Kind Seller { get; } = new("seller", "sellers", EntityKind.Seller);

    public static Kind Listing { get; } = new("listing", "listings", EntityKind.Listing);

    public static Kind Reviewer { get; } = new("reviewer", "reviewers", EntityKind.Reviewer);

    public static IReadOnlyList<Kind> All { get; } = [Seller, Listing, Reviewer];

    public static string Names => string.Join(", ", All.Select(k => k.Name));

    public static Kind? Find(string? name) => All.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.Ordinal));

    public const int MaxIdLength = 128;

    /// <summary>The wire rule for ids (docs/events.md): 1..128 printable ASCII, no spaces, '/', '\', '#' or '?'.</summary>
    public static string? IdProblem(string id) =>
        id.Length == 0 ? "The id is empty."
        : id.Length > MaxIdLength ? $"The id is {id.Length} characters long; ids have at most {MaxIdLength}."
        : !id.All(c => c is > ' ' and < '\u007f' and not ('/' or '\\' or '#' or '?')) ? "Ids contain only printable ASCII without spaces, '/', '\\', '#' or '?'."
        : null;
}
