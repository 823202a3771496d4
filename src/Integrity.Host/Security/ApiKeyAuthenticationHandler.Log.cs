namespace Integrity.Host.Security;

public sealed partial class ApiKeyAuthenticationHandler
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Request to {Path} with an unknown API key")]
    private static partial void LogUnknownKey(ILogger logger, PathString path);
}
