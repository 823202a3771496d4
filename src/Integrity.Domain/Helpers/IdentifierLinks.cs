using Integrity.Domain.Events;

namespace Integrity.Domain.Helpers;

/// <summary>
/// The sellers that used one identifier (keyed by <see cref="IdentifierHash.Key"/>): the helper state of an
/// identifier grain. Sellers sharing a strong identifier are treated as one operator's network.
/// </summary>
public sealed class IdentifierLinks
{
    public const int MaxSellers = 1000;

    public int Version { get; set; } = 1;

    public string Key { get; set; } = "";

    public IdentifierKind Kind { get; set; }

    public List<string> SellerIds { get; set; } = [];

    /// <summary>
    /// Kinds that identify an operator. Addresses and IPs are weak (shared warehouses, offices, carrier-grade NAT),
    /// so they do not link sellers by themselves; they still catch self-shipping on orders.
    /// </summary>
    public static IReadOnlyList<IdentifierKind> StrongKinds { get; } =
        [IdentifierKind.BankAccount, IdentifierKind.TaxId, IdentifierKind.Device, IdentifierKind.Phone, IdentifierKind.Email];

    public static bool IsStrong(IdentifierKind kind) => StrongKinds.Contains(kind);

    public static IdentifierLinks Create(IdentifierHash identifier) => new() { Key = identifier.Key, Kind = identifier.Kind };

    /// <summary>Adds the seller (idempotent) and returns the other sellers that share this identifier.</summary>
    public (IdentifierLinks State, IReadOnlyList<string> Others) Link(string sellerId)
    {
        var next = Clone();
        if (!next.SellerIds.Contains(sellerId) && next.SellerIds.Count < MaxSellers) next.SellerIds.Add(sellerId);
        return (next, next.SellerIds.Where(s => s != sellerId).ToList());
    }

    public IdentifierLinks Clone() => new() { Version = Version, Key = Key, Kind = Kind, SellerIds = [.. SellerIds] };
}
