using System.Text.Json;
using Integrity.Harness.Terminal;
using Spectre.Console.Testing;

namespace Integrity.Backtest.Tests;

/// <summary>The compare command: two policy files replayed on one history, compared as the live shadow is.</summary>
public sealed class CompareCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "integrity-compare-" + Guid.NewGuid().ToString("N"));

    public CompareCommandTests() => Directory.CreateDirectory(_dir);

    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = Cli.Run(args, stdout, stderr, new LiveProgress(new TestConsole(), interactive: false, TimeProvider.System, TimeSpan.FromSeconds(10)));
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Policy(string name, string json)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    private Dictionary<string, string> Steps(string outDir) =>
        File.ReadLines(Path.Combine(outDir, "reviewers.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[3]);

    [Fact]
    public void A_candidate_with_lower_reviewer_thresholds_makes_extra_decisions_counted_against_each_policys_own_replay()
    {
        var active = Policy("active.json", """{ "Version": "active-bt" }""");
        var candidate = Policy("candidate.json", """{ "Version": "candidate-bt", "Reviewer": { "DownWeighted": 5, "ReviewsHidden": 10, "Restricted": 15 } }""");

        var (code, stdout, stderr) = Run("compare", Data("reviews-small.csv"), "--active", active, "--candidate", candidate, "--out", Path.Combine(_dir, "cmp"), "--examples", "1000");
        Assert.True(code == 0, stderr);
        Assert.Equal(0, Run("replay", Data("reviews-small.csv"), "--policy", active, "--out", Path.Combine(_dir, "a"), "--quiet").Code);
        Assert.Equal(0, Run("replay", Data("reviews-small.csv"), "--policy", candidate, "--out", Path.Combine(_dir, "c"), "--quiet").Code);

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "cmp", "comparison.json")));
        var c = doc.RootElement;
        int N(string name) => c.GetProperty(name).GetInt32();
        long Decisions(string run) => JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, run, "summary.json"))).RootElement.GetProperty("decisions").GetInt64();
        Assert.Equal(("active-bt", "candidate-bt"), (c.GetProperty("activeVersion").GetString(), c.GetProperty("candidateVersion").GetString()));
        Assert.Equal((Decisions("a"), Decisions("c")), (N("active"), N("candidate")));
        Assert.Equal(N("active"), N("both") + N("onlyActive"));
        Assert.Equal(N("candidate"), N("both") + N("onlyCandidate"));
        Assert.True(N("onlyCandidate") > 0, "the lower thresholds decide more");

        // Every reviewer the candidate ends higher for has a step only the candidate took.
        var (before, after) = (Steps(Path.Combine(_dir, "a")), Steps(Path.Combine(_dir, "c")));
        var raised = after.Where(kv => kv.Value != before[kv.Key]).Select(kv => kv.Key).ToList();
        Assert.NotEmpty(raised);
        var onlyCandidate = c.GetProperty("examples").GetProperty("onlyCandidate").EnumerateArray()
            .Select(e => (Kind: e.GetProperty("entityKind").GetString(), Id: e.GetProperty("entityId").GetString())).ToList();
        Assert.Equal(N("onlyCandidate"), onlyCandidate.Count);
        Assert.All(raised, id => Assert.Contains(("reviewer", id), onlyCandidate));
        var reviewerRow = c.GetProperty("byEntityKind").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "reviewer");
        Assert.Equal(reviewerRow.GetProperty("candidate").GetInt32() - reviewerRow.GetProperty("active").GetInt32(), reviewerRow.GetProperty("difference").GetInt32());
        Assert.Contains("# candidate-bt against active-bt", File.ReadAllText(Path.Combine(_dir, "cmp", "comparison.md")), StringComparison.Ordinal);
        Assert.Contains("only active-bt", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_policies_of_one_version_are_refused()
    {
        var same = Policy("same.json", """{ "Version": "default-2026.11" }""");

        var (code, _, stderr) = Run("compare", Data("reviews-small.csv"), "--candidate", same, "--out", Path.Combine(_dir, "cmp"));

        Assert.Equal(2, code);
        Assert.Contains("version of its own", stderr, StringComparison.Ordinal);
    }
}
