namespace Integrity.Domain.Events;

/// <summary>
/// Identifiers of a seller or a buyer, each a keyed hash (never a clear value) or null when not given.
/// Equal hashes of the same kind mean the same underlying identifier, which is what links accounts.
/// </summary>
public sealed record IdentifierSet(
    string? BankAccount = null,
    string? Phone = null,
    string? Email = null,
    string? Address = null,
    string? Device = null,
    string? TaxId = null,
    string? Ip = null)
{
    public static IdentifierSet Empty { get; } = new();

    private static readonly IdentifierKind[] Kinds =
        [IdentifierKind.BankAccount, IdentifierKind.Phone, IdentifierKind.Email, IdentifierKind.Address, IdentifierKind.Device, IdentifierKind.TaxId, IdentifierKind.Ip];

    /// <summary>The identifiers present, as (kind, hash) pairs.</summary>
    public IEnumerable<IdentifierHash> Present()
    {
        foreach (var kind in Kinds)
        {
            if (HashOf(kind) is { } hash) yield return new(kind, hash);
        }
    }

    /// <summary>The hash of that kind, or null when it is not given (or not a kind of this set).</summary>
    public string? HashOf(IdentifierKind kind) => kind switch
    {
        IdentifierKind.BankAccount => BankAccount,
        IdentifierKind.Phone => Phone,
        IdentifierKind.Email => Email,
        IdentifierKind.Address => Address,
        IdentifierKind.Device => Device,
        IdentifierKind.TaxId => TaxId,
        IdentifierKind.Ip => Ip,
        _ => null,
    };
}
