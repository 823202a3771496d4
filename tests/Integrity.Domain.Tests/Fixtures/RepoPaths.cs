namespace Integrity.Domain.Tests.Fixtures;

public static class RepoPaths
{
    /// <summary>The repository root, found by walking up from the test binaries to the solution's global files.</summary>
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
        }
    }
}
