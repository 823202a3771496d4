namespace Integrity.Domain.Events;

/// <summary>Kinds of personal identifier. Each is keyed-hashed at ingest; the domain only ever sees hashes.</summary>
public enum IdentifierKind
{
    BankAccount,
    Phone,
    Email,
    Address,
    Device,
    TaxId,
    Ip,

    /// <summary>A payment instrument fingerprint (card, wallet) on orders.</summary>
    Payment,
}
