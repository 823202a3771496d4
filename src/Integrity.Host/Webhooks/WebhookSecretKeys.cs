using System.Security.Cryptography;
using System.Text;
using Integrity.Grains.Webhooks;
using Integrity.Host.Security;

namespace Integrity.Host.Webhooks;

/// <summary>
/// The AES-256 key that seals registered endpoints' secrets: derived (HKDF-SHA256) from <c>Security:IdentifierHashKey</c>,
/// which every silo of a cluster shares and which never changes, so every silo opens what another sealed. A key of its
/// own purpose, so neither use can stand in for the other.
/// </summary>
public static class WebhookSecretKeys
{
    public static WebhookSecretKey From(string? identifierHashKey) =>
        identifierHashKey is not null && SecurityOptionsValidator.TryDecodeKey(identifierHashKey, out var ikm) && ikm.Length >= SecurityOptions.MinIdentifierHashKeyBytes
            ? new WebhookSecretKey(HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32, info: Encoding.UTF8.GetBytes("integrity/webhook-secrets/v1")))
            : new WebhookSecretKey(null);
}
