using System.Security.Cryptography;
using System.Text;
using Integrity.Domain.Events;

namespace Integrity.Domain.Wire;

/// <summary>
/// Replaces a clear identifier by HMAC-SHA256(key, kind ":" normalized value), truncated to 128 bits, lowercase hex.
/// Keyed so that hashes cannot be reversed by hashing a phone-number list; the kind is in the input so a phone and
/// a tax id with the same digits do not collide. 128 bits keep collisions negligible at marketplace scale.
/// </summary>
public sealed class IdentifierHasher
{
    private const int OutputBytes = 16;
    private readonly byte[] _key;

    /// <summary>
    /// One keyed HMAC per thread, reset after each hash: the key's setup is done once instead of for every identifier
    /// (a one-shot <see cref="HMACSHA256.HashData(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/> was a fifth of parsing an order).
    /// </summary>
    private readonly ThreadLocal<IncrementalHash> _hmac;

    public IdentifierHasher(ReadOnlySpan<byte> key)
    {
        if (key.Length < 16) throw new ArgumentException("The identifier hashing key must be at least 16 bytes.", nameof(key));
        _key = key.ToArray();
        _hmac = new(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key));
    }

    /// <summary>Hashes a clear value, or returns null when nothing is left after normalization.</summary>
    public string? Hash(IdentifierKind kind, string clear)
    {
        var normalized = IdentifierNormalizer.Normalize(kind, clear);
        if (normalized.Length == 0) return null;
        var input = Encoding.UTF8.GetBytes($"{KindTag(kind)}:{normalized}");
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var hmac = _hmac.Value!;
        hmac.AppendData(input);
        hmac.GetHashAndReset(mac);
        return Convert.ToHexStringLower(mac[..OutputBytes]);
    }

    /// <summary>
    /// Keyed hash of a whole rejected line as received (its bytes, not normalized), so a dead letter can name the line
    /// without keeping it: whoever holds the line and the key can match it, nobody can read it back. Tagged apart
    /// from identifier hashes, so a line never hashes like an identifier.
    /// </summary>
    public string HashLine(ReadOnlySpan<byte> utf8)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData("line:"u8);
        hmac.AppendData(utf8);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        hmac.GetHashAndReset(mac);
        return Convert.ToHexStringLower(mac[..OutputBytes]);
    }

    /// <summary>Stable tags: part of every stored hash, so they never change even if the enum is renamed.</summary>
    private static string KindTag(IdentifierKind kind) => kind switch
    {
        IdentifierKind.BankAccount => "bank",
        IdentifierKind.Phone => "phone",
        IdentifierKind.Email => "email",
        IdentifierKind.Address => "address",
        IdentifierKind.Device => "device",
        IdentifierKind.TaxId => "tax",
        IdentifierKind.Ip => "ip",
        IdentifierKind.Payment => "payment",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
