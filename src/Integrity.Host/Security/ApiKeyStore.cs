using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Security;

/// <summary>
/// The configured keys, kept only as SHA-256 digests. A presented key is hashed and compared with every configured
/// digest in constant time (no early exit), so neither the comparison nor the position of a match leaks timing.
/// Keys follow configuration reloads (e.g. <c>appsettings.json</c> edited in place): a key removed is refused from the
/// next request on, and <see cref="Changed"/> tells the live feed to end the connections it opened. A reload that fails
/// validation changes nothing.
/// </summary>
public sealed class ApiKeyStore : IDisposable
{
    private const int HashPrefixHexDigits = 12;
    private readonly IDisposable? _subscription;
    private volatile Key[] _keys;

    public ApiKeyStore(IOptionsMonitor<SecurityOptions> options)
    {
        _keys = Load(options.CurrentValue);
        _subscription = options.OnChange(o =>
        {
            _keys = Load(o);
            Changed?.Invoke();
        });
    }

    /// <summary>Fixed keys, never reloaded.</summary>
    public ApiKeyStore(SecurityOptions options)
    {
        _keys = Load(options);
    }

    /// <summary>Raised after the keys were reloaded from configuration.</summary>
    public event Action? Changed;

    public sealed record Match(string Role, string KeyHashPrefix);

    private sealed record Key(byte[] Digest, string Role, string HashPrefix);

    public Match? Find(string presented)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        string? role = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(key.Digest, digest))
            {
                role = key.Role;
            }
        }

        return role is null ? null : new Match(role, HashPrefix(digest));
    }

    /// <summary>Whether a key with this hash prefix is still configured (the prefix names a key; it is not a secret).</summary>
    public bool IsConfigured(string keyHashPrefix) => _keys.Any(k => string.Equals(k.HashPrefix, keyHashPrefix, StringComparison.Ordinal));

    public void Dispose() => _subscription?.Dispose();

    private static Key[] Load(SecurityOptions options) =>
        [.. options.ApiKeys.All()
            .Where(k => !string.IsNullOrEmpty(k.Key))
            .Select(k => ToKey(k.Role, k.Key))];

    private static Key ToKey(string role, string key)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return new Key(digest, role, HashPrefix(digest));
    }

    private static string HashPrefix(ReadOnlySpan<byte> digest) => Convert.ToHexStringLower(digest)[..HashPrefixHexDigits];
}
