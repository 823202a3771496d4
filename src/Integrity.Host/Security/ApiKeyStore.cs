using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Security;

/// <summary>
/// The configured keys, kept only as SHA-256 digests. A presented key is hashed and compared with every configured
/// digest in constant time (no early exit), so neither the comparison nor the position of a match leaks timing.
/// </summary>
public sealed class ApiKeyStore
{
    private const int HashPrefixHexDigits = 12;
    private readonly (byte[] Digest, string Role)[] _keys;

    public ApiKeyStore(IOptions<SecurityOptions> options)
    {
        _keys = [.. options.Value.ApiKeys.All()
            .Where(k => !string.IsNullOrEmpty(k.Key))
            .Select(k => (SHA256.HashData(Encoding.UTF8.GetBytes(k.Key)), k.Role))];
    }

    public sealed record Match(string Role, string KeyHashPrefix);

    public Match? Find(string presented)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        string? role = null;
        foreach (var (configured, configuredRole) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(configured, digest))
            {
                role = configuredRole;
            }
        }

        return role is null ? null : new Match(role, Convert.ToHexStringLower(digest)[..HashPrefixHexDigits]);
    }
}
