using Integrity.Azurite;

namespace Integrity.Host.Hosting;

/// <summary>
/// The embedded default: when no storage is configured, start a local Azurite on loopback with a data folder
/// and point the configuration at it. Disposing stops only the Azurite started here.
/// </summary>
public static class EmbeddedStorage
{
    private sealed class Nothing : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    public static async Task<IAsyncDisposable> StartIfUnconfiguredAsync(ConfigurationManager configuration)
    {
        var key = $"{StorageOptions.Section}:{nameof(StorageOptions.ConnectionString)}";
        if (!string.IsNullOrWhiteSpace(configuration[key]))
        {
            return new Nothing();
        }

        var dataDirectory = configuration["Azurite:DataDirectory"] ?? Path.Combine(Environment.CurrentDirectory, ".azurite");
        // Before the host's own logging exists: the same Logging section (levels, Logging:Console:FormatterName=json).
        using var loggerFactory = LoggerFactory.Create(logging =>
        {
            logging.AddConfiguration(configuration.GetSection("Logging"));
            logging.AddConsole();
            logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.FormatterName ??= Microsoft.Extensions.Logging.Console.ConsoleFormatterNames.Simple);
            logging.Services.Configure<Microsoft.Extensions.Logging.Console.SimpleConsoleFormatterOptions>(o => o.SingleLine = true);
        });
        var azurite = await LocalAzurite.StartAsync(
            new LocalAzuriteOptions { DataDirectory = dataDirectory, ToolDirectory = configuration["Azurite:ToolDirectory"] },
            loggerFactory.CreateLogger("Integrity.EmbeddedAzurite"));
        configuration[key] = azurite.ConnectionString;
        configuration[Security.DevelopmentSecrets.EmbeddedDataDirectoryKey] = Path.GetFullPath(dataDirectory);
        return azurite;
    }
}
