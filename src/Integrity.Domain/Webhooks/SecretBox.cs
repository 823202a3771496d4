using System.Security.Cryptography;
using System.Text;

namespace Integrity.Domain.Webhooks;

/// <summary>
/// Seals a secret for storage with AES-256-GCM: <c>base64(nonce ‖ ciphertext ‖ tag)</c>, bound to a context (the
/// endpoint id) so a sealed secret copied onto another row does not open there.
/// </summary>
public static class SecretBox
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public static string Seal(ReadOnlySpan<byte> key, string secret, string context)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), Encoding.UTF8.GetBytes(context));
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The secret, or null if the box was not sealed under this key and context (or was altered).</summary>
    public static string? Open(ReadOnlySpan<byte> key, string sealedSecret, string context)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(sealedSecret);
        }
        catch (FormatException)
        {
            return null;
        }

        if (bytes.Length < NonceBytes + TagBytes)
        {
            return null;
        }

        var length = bytes.Length - NonceBytes - TagBytes;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(bytes.AsSpan(0, NonceBytes), bytes.AsSpan(NonceBytes, length), bytes.AsSpan(NonceBytes + length), plain, Encoding.UTF8.GetBytes(context));
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
