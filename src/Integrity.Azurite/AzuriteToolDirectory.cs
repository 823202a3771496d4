using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Integrity.Azurite;

/// <summary>Finds the repository's pinned Azurite package and installs it from its lock file when needed.</summary>
internal static partial class AzuriteToolDirectory
{
    private const string RelativePath = "tools/azurite";

    public static string Locate(string? configured)
    {
        if (configured is not null)
        {
            return File.Exists(Path.Combine(configured, "package.json"))
                ? Path.GetFullPath(configured)
                : throw new DirectoryNotFoundException($"Azurite tool directory '{configured}' has no package.json.");
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, RelativePath);
                if (File.Exists(Path.Combine(candidate, "package.json")))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"Could not find '{RelativePath}/package.json' above '{AppContext.BaseDirectory}'. Set Azurite:ToolDirectory or configure Storage:ConnectionString.");
    }

    /// <summary>
    /// Runs `npm ci` once; a lock file keeps parallel test processes from installing at the same time. The install
    /// takes minutes on a first start, so it says what it is doing before and when it is done.
    /// </summary>
    public static async Task EnsureInstalledAsync(string toolDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        var marker = Path.Combine(toolDirectory, "node_modules", "azurite", "package.json");
        if (File.Exists(marker))
        {
            return;
        }

        await using var installLock = await AcquireLockAsync(Path.Combine(toolDirectory, ".install.lock"), toolDirectory, logger, cancellationToken);
        if (File.Exists(marker))
        {
            return;
        }

        LogInstalling(logger, toolDirectory);
        var took = Stopwatch.StartNew();

        var npm = new ProcessStartInfo("npm", "ci --no-audit --no-fund --loglevel=error")
        {
            WorkingDirectory = toolDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(npm) ?? throw new InvalidOperationException("Could not start npm; is Node.js installed?");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`npm ci` in '{toolDirectory}' failed with exit code {process.ExitCode}: {await stderr}{await stdout}");
        }

        LogInstalled(logger, took.Elapsed.TotalSeconds);
    }

    private static async Task<FileStream> AcquireLockAsync(string path, string toolDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var told = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromMinutes(5))
            {
                if (!told)
                {
                    LogWaiting(logger, toolDirectory);
                    told = true;
                }

                await Task.Delay(250, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Installing Azurite with `npm ci` in {ToolDirectory} (first start only; it usually takes 1-3 minutes, and later starts reuse it)")]
    private static partial void LogInstalling(ILogger logger, string toolDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite installed in {Seconds:0} s")]
    private static partial void LogInstalled(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for another process that is installing Azurite in {ToolDirectory}")]
    private static partial void LogWaiting(ILogger logger, string toolDirectory);
}
