using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Integrity.Domain.Webhooks;

/// <summary>
/// The signature every webhook delivery carries, in the form platforms already verify for Stripe's:
/// <c>Integrity-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "{t}.{body}" under the endpoint's secret&gt;</c>.
/// Signing the timestamp with the body lets a receiver refuse a replayed request older than its tolerance.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "Integrity-Signature";

    public const string Scheme = "v1";

    /// <summary>The header value for <paramref name="body"/> (the exact bytes sent) signed at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        var t = timestamp.ToUnixTimeSeconds();
        return $"t={t.ToString(CultureInfo.InvariantCulture)},{Scheme}={Convert.ToHexStringLower(Mac(secret, t, body))}";
    }

    /// <summary>
    /// Whether <paramref name="header"/> signs <paramref name="body"/> under <paramref name="secret"/> with a timestamp
    /// within <paramref name="tolerance"/> of <paramref name="now"/>. Any of several <c>v1</c> values may match (a sender
    /// rotating secrets signs with each); the comparison takes constant time.
    /// </summary>
    public static bool Verify(string header, string secret, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var (name, value) = (part[..eq], part[(eq + 1)..]);
            if (name == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (name == Scheme && value.Length == 2 * HMACSHA256.HashSizeInBytes && IsHex(value))
            {
                signatures.Add(Convert.FromHexString(value));
            }
        }

        if (timestamp is not { } ts || signatures.Count == 0 || Math.Abs(now.ToUnixTimeSeconds() - ts) > tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Mac(secret, ts, body);
        var match = false;
        foreach (var signature in signatures)
        {
            match |= CryptographicOperations.FixedTimeEquals(expected, signature);
        }

        return match;
    }

    private static byte[] Mac(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var payload = new byte[prefix.Length + body.Length];
        prefix.CopyTo(payload, 0);
        body.CopyTo(payload.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload);
    }

    private static bool IsHex(string value) => value.All(char.IsAsciiHexDigit);
}
