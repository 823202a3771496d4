using System.Collections.Concurrent;
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
/// A ticket opens one connection: its random nonce is remembered until the ticket expires, and a second use is refused.
/// That memory is this host's own: with several silos, one ticket could open one connection on each of them (at most
/// one per silo, within its lifetime); only shared state (a table row per ticket) would close that.
/// </summary>
public sealed class StreamTickets
{
    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("integrity/stream-ticket/v2");
    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly ConcurrentDictionary<string, long> _used = new(StringComparer.Ordinal);
    private long _nextPrune;

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
        var nonce = Base64Url(RandomNumberGenerator.GetBytes(16));
        var payload = string.Create(CultureInfo.InvariantCulture, $"{expires.ToUnixTimeSeconds()}.{nonce}.{keyHashPrefix}");
        return ($"{Base64Url(Encoding.UTF8.GetBytes(payload))}.{Base64Url(Sign(payload))}", DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>
    /// The key hash prefix the ticket was issued to, or null when it is forged, altered, expired or was used before.
    /// A valid ticket is spent by this call.
    /// </summary>
    public string? Redeem(string ticket)
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

        var fields = payload.Split('.', 3);
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (fields.Length != 3
            || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || now >= expires)
        {
            return null;
        }

        PruneSpent(now);
        return _used.TryAdd(fields[1], expires) ? fields[2] : null;
    }

    /// <summary>Spent nonces are kept until their ticket expires (after that the expiry refuses it anyway).</summary>
    private void PruneSpent(long now)
    {
        var due = Interlocked.Read(ref _nextPrune);
        if (now < due || Interlocked.CompareExchange(ref _nextPrune, now + 10, due) != due)
        {
            return;
        }

        foreach (var (nonce, expires) in _used)
        {
            if (expires <= now)
            {
                _used.TryRemove(nonce, out _);
            }
        }
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
