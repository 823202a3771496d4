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

    /// <summary>The identifiers present, as (kind, hash) pairs.</summary>
    public IEnumerable<IdentifierHash> Present()
    {
        if (BankAccount is not null) yield return new(IdentifierKind.BankAccount, BankAccount);
        if (Phone is not null) yield return new(IdentifierKind.Phone, Phone);
        if (Email is not null) yield return new(IdentifierKind.Email, Email);
        if (Address is not null) yield return new(IdentifierKind.Address, Address);
        if (Device is not null) yield return new(IdentifierKind.Device, Device);
        if (TaxId is not null) yield return new(IdentifierKind.TaxId, TaxId);
        if (Ip is not null) yield return new(IdentifierKind.Ip, Ip);
    }
}
