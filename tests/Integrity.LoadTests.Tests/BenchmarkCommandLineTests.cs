using Integrity.Testing;

namespace Integrity.LoadTests.Tests;

/// <summary>The ingestion benchmark keeps the harness tools' command-line conventions (it runs nothing here).</summary>
public sealed class BenchmarkCommandLineTests
{
    [Fact]
    public async Task Help_lists_the_options_and_exits_0()
    {
        var (output, error) = (new StringWriter(), new StringWriter());

        Assert.Equal(0, await BenchmarkCommandLine.InvokeAsync(["--help"], output, error));
        Assert.Contains("--naive-seconds", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--chart-from", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(error.ToString());
    }

    [Theory]
    [InlineData("--secnods 60", "--secnods")]
    [InlineData("--rate fast", "--rate must be a number of events/s or 'max'")]
    public async Task An_unknown_option_or_a_bad_value_is_named_with_exit_code_2(string args, string named)
    {
        var (output, error) = (new StringWriter(), new StringWriter());

        Assert.Equal(2, await BenchmarkCommandLine.InvokeAsync(args.Split(' '), output, error));
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task Chart_from_redraws_a_committed_run_as_svg_and_png_next_to_its_json()
    {
        var directory = Directory.CreateTempSubdirectory("bench-chart-").FullName;
        try
        {
            var json = Path.Combine(directory, "run.json");
            File.Copy(Path.Combine(RepositoryRoot.Path, "docs", "benchmarks", "ingestion-2026-11-23-run6-session3.json"), json);

            Assert.Equal(0, await BenchmarkCommandLine.InvokeAsync(["--chart-from", json], new StringWriter(), new StringWriter()));
            Assert.Contains("stored lag (s)", await File.ReadAllTextAsync(Path.Combine(directory, "run.svg")), StringComparison.Ordinal);
            Assert.True(new FileInfo(Path.Combine(directory, "run.png")).Length > 10_000);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
