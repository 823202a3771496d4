using System.Security.Cryptography;

namespace Integrity.Host.Security;

/// <summary>
/// Secrets for a local run, so <c>dotnet run</c> works with nothing configured: random API keys printed once to the
/// console (never to the logs), and an identifier hashing key kept in the embedded Azurite's data folder so hashes
/// stay the same across restarts. Only ever used with the embedded Azurite, unless explicitly asked for.
/// </summary>
public static class DevelopmentSecrets
{
    /// <summary>Set by the embedded storage to its data folder; absent when storage is configured.</summary>
    public const string EmbeddedDataDirectoryKey = "Azurite:EmbeddedDataDirectory";

    public const string IdentifierKeyFileName = "integrity-identifier-hash.key";

    private const string KeysSection = SecurityOptions.Section + ":" + nameof(SecurityOptions.ApiKeys);

    public static void Apply(IConfiguration configuration, TextWriter console)
    {
        var embeddedDataDirectory = configuration[EmbeddedDataDirectoryKey];
        GenerateApiKeysIfWanted(configuration, embeddedDataDirectory is not null, console);
        if (string.IsNullOrWhiteSpace(configuration[$"{SecurityOptions.Section}:{nameof(SecurityOptions.IdentifierHashKey)}"]) && embeddedDataDirectory is not null)
        {
            configuration[$"{SecurityOptions.Section}:{nameof(SecurityOptions.IdentifierHashKey)}"] = LoadOrCreateIdentifierKey(embeddedDataDirectory);
        }
    }

    private static void GenerateApiKeysIfWanted(IConfiguration configuration, bool embedded, TextWriter console)
    {
        string[] roles = ["Ingest", "Analyst", "Viewer", "Admin"];
        bool HasKeys(string role) => configuration.GetSection($"{KeysSection}:{role}").GetChildren().Any(c => !string.IsNullOrWhiteSpace(c.Value))
            || !string.IsNullOrWhiteSpace(configuration[$"{KeysSection}:{role}"]);
        var anyConfigured = roles.Any(HasKeys);
        var generate = configuration.GetValue<bool?>($"{SecurityOptions.Section}:{nameof(SecurityOptions.GenerateDevelopmentKeys)}") ?? (!anyConfigured && embedded);
        if (!generate)
        {
            return;
        }

        var generated = new List<(string Role, string Key)>();
        foreach (var role in roles.Where(r => !HasKeys(r)))
        {
            var key = Base64Url(RandomNumberGenerator.GetBytes(32));
            configuration[$"{KeysSection}:{role}:0"] = key;
            generated.Add((role.ToLowerInvariant(), key));
        }

        if (generated.Count == 0)
        {
            return;
        }

        console.WriteLine("Development API keys, generated for this run only (configure Security:ApiKeys:* to use your own):");
        foreach (var (role, key) in generated)
        {
            console.WriteLine($"  {role,-8} {key}");
        }

        console.WriteLine($"  e.g. curl -H 'X-Api-Key: {generated[0].Key}' ...");
        console.Flush();
    }

    private static string LoadOrCreateIdentifierKey(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, IdentifierKeyFileName);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDirectory);
        }
        else
        {
            Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, options))
        {
            writer.Write(key);
        }

        return key;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
