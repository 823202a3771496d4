using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Integrity.Host.Query;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Security;

/// <summary>
/// Short-lived signed tickets that let a browser open the live decisions feed: <c>EventSource</c> cannot send the
/// API key header, and a key in a URL would outlive the page in logs and history. A ticket is issued to a viewer (or
/// analyst) key, names only the key's hash prefix and its expiry, grants viewer rights on the stream endpoint alone,
/// and is signed with HMAC-SHA256 under a key derived (HKDF) from the identifier hashing key, so every silo accepts it.
/// </summary>
public sealed class StreamTickets
{
    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("integrity/stream-ticket/v1");
    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public StreamTickets(IOptions<SecurityOptions> security, IOptions<QueryApiOptions> options, TimeProvider time)
    {
        var secret = Convert.FromBase64String(security.Value.IdentifierHashKey?.Trim() ?? throw new InvalidOperationException("Security:IdentifierHashKey is not configured."));
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: Purpose);
        _time = time;
        _lifetime = options.Value.StreamTicketLifetime;
    }

    public (string Ticket, DateTimeOffset ExpiresAt) Issue(string keyHashPrefix)
    {
        var expires = _time.GetUtcNow().Add(_lifetime);
        var payload = string.Create(CultureInfo.InvariantCulture, $"{expires.ToUnixTimeSeconds()}.{keyHashPrefix}");
        return ($"{Base64Url(Encoding.UTF8.GetBytes(payload))}.{Base64Url(Sign(payload))}", DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>The key hash prefix the ticket was issued to, or null when it is forged, altered or expired.</summary>
    public string? Validate(string ticket)
    {
        var parts = ticket.Split('.');
        if (parts.Length != 2 || FromBase64Url(parts[0]) is not { } payloadBytes || FromBase64Url(parts[1]) is not { } signature)
        {
            return null;
        }

        var payload = Encoding.UTF8.GetString(payloadBytes);
        if (!CryptographicOperations.FixedTimeEquals(Sign(payload), signature))
        {
            return null;
        }

        var fields = payload.Split('.', 2);
        return fields.Length == 2
            && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && _time.GetUtcNow().ToUnixTimeSeconds() < expires
            ? fields[1]
            : null;
    }

    private byte[] Sign(string payload) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(payload));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        if (text.Length is 0 or > 512)
        {
            return null;
        }

        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
