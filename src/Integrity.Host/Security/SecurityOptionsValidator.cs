using Microsoft.Extensions.Options;

namespace Integrity.Host.Security;

/// <summary>Fails start with every problem named (never the key itself).</summary>
public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var problems = Problems(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static IEnumerable<string> Problems(SecurityOptions options)
    {
        var keys = options.ApiKeys.All().ToList();
        if (keys.Count == 0)
        {
            yield return "No API key is configured. Set Security:ApiKeys:Ingest, Security:ApiKeys:Analyst and Security:ApiKeys:Viewer "
                + "(each a list, e.g. Security__ApiKeys__Ingest__0), or Security:GenerateDevelopmentKeys=true for a local run.";
        }

        foreach (var (role, key, index) in keys.Select((k, i) => (k.Role, k.Key, i)))
        {
            var position = $"Security:ApiKeys:{char.ToUpperInvariant(role[0])}{role[1..]} entry {keys.Take(index).Count(k => k.Role == role)}";
            if (string.IsNullOrWhiteSpace(key))
            {
                yield return $"{position} is empty.";
            }
            else if (key.Length < SecurityOptions.MinKeyLength)
            {
                yield return $"{position} is {key.Length} characters long; API keys must have at least {SecurityOptions.MinKeyLength}.";
            }
            else if (key.Trim().Length != key.Length)
            {
                yield return $"{position} starts or ends with whitespace.";
            }
        }

        foreach (var shared in keys.GroupBy(k => k.Key, StringComparer.Ordinal).Where(g => g.Select(k => k.Role).Distinct().Count() > 1))
        {
            yield return $"One API key is configured for several roles ({string.Join(", ", shared.Select(k => k.Role).Distinct())}); each key must have one role.";
        }

        if (string.IsNullOrWhiteSpace(options.IdentifierHashKey))
        {
            yield return "Security:IdentifierHashKey is required (base64 of at least 32 random bytes, the same on every silo and kept stable).";
        }
        else if (!TryDecodeKey(options.IdentifierHashKey, out var bytes))
        {
            yield return "Security:IdentifierHashKey is not valid base64.";
        }
        else if (bytes.Length < SecurityOptions.MinIdentifierHashKeyBytes)
        {
            yield return $"Security:IdentifierHashKey is {bytes.Length} bytes; it must be at least {SecurityOptions.MinIdentifierHashKeyBytes}.";
        }

        if (options.RateLimit.PermitsPerSecond < 1 || options.RateLimit.Burst < 1)
        {
            yield return "Security:RateLimit:PermitsPerSecond and Security:RateLimit:Burst must be positive.";
        }

        if (options.RateLimit.PerAddress.PermitsPerSecond < 1 || options.RateLimit.PerAddress.Burst < 1)
        {
            yield return "Security:RateLimit:PerAddress:PermitsPerSecond and Security:RateLimit:PerAddress:Burst must be positive.";
        }

        if (options.AuthFailureLogInterval <= TimeSpan.Zero || options.AuthFailureLogInterval > TimeSpan.FromDays(1))
        {
            yield return "Security:AuthFailureLogInterval must be more than zero and at most a day.";
        }
    }

    public static bool TryDecodeKey(string base64, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
