using System.Globalization;
using System.Text.Json;
using Integrity.Backtest.Input;
using Integrity.Harness.Terminal;
using Spectre.Console.Testing;

namespace Integrity.Backtest.Tests;

/// <summary>
/// The fit command on data/fit-history.csv and data/fit-labels.csv (synthetic): six established reviewers write 10
/// four-star reviews each, 25 days apart (no reviewer signal at the end: 3 of their 60 reviews are labelled bad), and
/// 40 one-review accounts write one four-star review each (THIN_HISTORY at full strength, the only signal; 24 labelled
/// bad). The noisy-OR maximum likelihood is then known in closed form: base rate b = 3/60 and
/// 1 − (1 − b)(1 − w) = 24/40, so w(THIN_HISTORY) = 1 − 0.4/0.95 ≈ 0.5789.
/// </summary>
public sealed class FitCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "integrity-fit-" + Guid.NewGuid().ToString("N"));

    private string Out => Path.Combine(_dir, "fit");

    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = Cli.Run(args, stdout, stderr, new LiveProgress(new TestConsole(), interactive: false, TimeProvider.System, TimeSpan.FromSeconds(10)));
        return (code, stdout.ToString(), stderr.ToString());
    }

    private (int Code, string Stdout, string Stderr) Fit(string labels, params string[] more) =>
        Run(["fit", Data("fit-history.csv"), "--labels", labels, "--out", Out, .. more]);

    private string Labels(string content)
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "labels-" + Guid.NewGuid().ToString("N")[..8] + ".csv");
        File.WriteAllText(path, content);
        return path;
    }

    private JsonElement Weight(string key)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "fit.json")));
        return doc.RootElement.GetProperty("weights").EnumerateArray().Single(w => w.GetProperty("key").GetString() == key).Clone();
    }

    [Fact]
    public void Fit_recovers_the_weight_the_labels_imply_and_writes_only_what_changed()
    {
        var (code, stdout, stderr) = Fit(Data("fit-labels.csv"), "--l2", "0", "--version", "fit-test-1");

        Assert.True(code == 0, stderr);
        Assert.Contains("THIN_HISTORY 0.2→0.5789", stdout, StringComparison.Ordinal);
        var thin = Weight("THIN_HISTORY");
        Assert.InRange(thin.GetProperty("newWeight").GetDouble(), 0.5789 - 0.01, 0.5789 + 0.01);
        Assert.Equal(0.2, thin.GetProperty("oldWeight").GetDouble());
        Assert.Equal(40, thin.GetProperty("activations").GetInt32());
        Assert.Equal(24, thin.GetProperty("positives").GetInt32());
        Assert.True(thin.GetProperty("logLossAfter").GetDouble() < thin.GetProperty("logLossBefore").GetDouble());

        using var policy = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "policy.json")));
        Assert.Equal("fit-test-1", policy.RootElement.GetProperty("Version").GetString());
        var signals = policy.RootElement.GetProperty("Signals").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["THIN_HISTORY"], signals);
        Assert.False(policy.RootElement.TryGetProperty("ReviewRisk", out _));
        Assert.Contains("| `THIN_HISTORY` | 0.2 | **0.5789** | 40 | 24 |", File.ReadAllText(Path.Combine(Out, "fit.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_fitted_policy_loads_validates_and_replays_like_any_other()
    {
        Assert.Equal(0, Fit(Data("fit-labels.csv"), "--l2", "0").Code);

        var loaded = PolicyFile.Load(Path.Combine(Out, "policy.json"));
        Assert.Empty(loaded.Validate());
        Assert.Equal($"default-2026.11-fit-{DateTimeOffset.UtcNow:yyyyMMdd}", loaded.Version);
        Assert.InRange(loaded.Signals["THIN_HISTORY"].Weight, 0.5689, 0.5889);
        Assert.Equal(new Domain.Policy.PolicyOptions().Signals["UNVERIFIED_SHARE"].Weight, loaded.Signals["UNVERIFIED_SHARE"].Weight);

        var replayOut = Path.Combine(_dir, "replay");
        var (code, _, stderr) = Run("replay", Data("fit-history.csv"), "--policy", Path.Combine(Out, "policy.json"), "--out", replayOut, "--quiet");
        Assert.True(code == 0, stderr);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(replayOut, "summary.json")));
        Assert.Equal(loaded.Version, summary.RootElement.GetProperty("policyVersion").GetString());

        // A one-review account now scores what the fitted weight says: 100 × 0.5789.
        using var reader = new StreamReader(Path.Combine(replayOut, "reviewers.csv"));
        var rows = CsvRecords.Read(reader).Skip(1).ToList();
        Assert.Equal(57.9, double.Parse(rows.Single(r => r.Fields[0] == "t00").Fields[1], CultureInfo.InvariantCulture), 1);
    }

    [Fact]
    public void Until_keeps_only_the_labels_and_evidence_up_to_the_date()
    {
        var until = "2011-04-30";
        var expected = File.ReadLines(Data("fit-history.csv")).Skip(1).Count(l => string.CompareOrdinal(l.Split(',')[1], until) <= 0);

        var (code, stdout, stderr) = Fit(Data("fit-labels.csv"), "--until", until);

        Assert.True(code == 0, stderr);
        using var fit = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "fit.json")));
        Assert.Equal(expected, fit.RootElement.GetProperty("examples").GetInt32());
        Assert.Equal(expected, fit.RootElement.GetProperty("matchedReviews").GetInt32());
        Assert.Contains($"on {expected} reviews", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Reviewer_examples_label_a_reviewer_bad_when_any_of_its_reviews_is()
    {
        var (code, _, stderr) = Fit(Data("fit-labels.csv"), "--examples", "reviewers", "--l2", "0");

        Assert.True(code == 0, stderr);
        using var fit = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "fit.json")));
        Assert.Equal(46, fit.RootElement.GetProperty("examples").GetInt32());
        Assert.Equal(24 + 3, fit.RootElement.GetProperty("positives").GetInt32());
        Assert.Throws<InvalidOperationException>(() => Weight("ReviewRisk:ListingWeight"));
    }

    [Theory]
    [InlineData("id,is_filtered\nfr-000,2\n", "is_filtered must be 0 or 1, got \"2\"")]
    [InlineData("id,is_filtered\nfr-000,yes\n", "line 2")]
    [InlineData("id,label\nfr-000,1\n", "no label column 'is_filtered'")]
    [InlineData("seq,is_filtered\n0,1\n", "no column 'id'")]
    [InlineData("id,is_filtered\nnot-a-review,1\n", "matches a review")]
    [InlineData("id,is_filtered\nfr-000,1\nfr-000,0\n", "labelled twice")]
    [InlineData("", "empty")]
    public void Bad_labels_are_a_usage_error_naming_the_problem(string content, string expected)
    {
        var (code, _, stderr) = Fit(Labels(content));

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Out, "policy.json")));
    }

    [Fact]
    public void A_missing_labels_file_is_named()
    {
        var missing = Path.Combine(_dir, "nowhere.csv");

        var (code, _, stderr) = Fit(missing);

        Assert.Equal(2, code);
        Assert.Contains("nowhere.csv", stderr, StringComparison.Ordinal);
        Assert.Contains("no such file", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--until", "last tuesday", "--until must be a date")]
    [InlineData("--l2", "-1", "--l2 must be 0..1000")]
    [InlineData("--version", "default-2026.11", "differ from the base policy")]
    [InlineData("--examples", "listings", "listings")]
    public void Bad_options_are_a_usage_error(string option, string value, string expected)
    {
        var (code, _, stderr) = Fit(Data("fit-labels.csv"), option, value);

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// data/fit-verdicts.json: 30 seller decisions analysts ruled on, 10 citing BRUSHING alone (8 upheld), 10
    /// SELF_LINKED_ORDERS alone (5 upheld), 10 both (9 upheld). The noisy-OR maximum likelihood fits them exactly with
    /// base rate 0: 1 − w(BRUSHING) = 0.2, 1 − w(SELF_LINKED_ORDERS) = 0.5, and 0.2 · 0.5 = 0.1 for both.
    /// </summary>
    [Fact]
    public void Fit_verdicts_recovers_the_weights_analysts_verdicts_imply_and_the_policy_loads()
    {
        var (code, stdout, stderr) = Run("fit-verdicts", Data("fit-verdicts.json"), "--out", Out, "--l2", "0", "--version", "verdicts-test-1");

        Assert.True(code == 0, stderr);
        Assert.Contains("reasons default-2026.11 does not weigh, left out: RETIRED_SIGNAL", stderr, StringComparison.Ordinal);
        Assert.Contains("on 30 verdicts (22 upheld)", stdout, StringComparison.Ordinal);
        Assert.Equal(0.8, Weight("BRUSHING").GetProperty("newWeight").GetDouble(), 2);
        Assert.Equal(0.5, Weight("SELF_LINKED_ORDERS").GetProperty("newWeight").GetDouble(), 2);
        Assert.Equal(20, Weight("BRUSHING").GetProperty("activations").GetInt32());

        var policy = Integrity.Backtest.PolicyFile.Load(Path.Combine(Out, "policy.json"));
        Assert.Equal("verdicts-test-1", policy.Version);
        Assert.Equal(0.8, policy.Rule("BRUSHING").Weight, 2);
        Assert.Empty(policy.Validate());
        Assert.Contains("Every example is a decision the policy took", File.ReadAllText(Path.Combine(Out, "fit.md")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"verdicts\": []}", "no verdicts: nothing to fit")]
    [InlineData("{\"rows\": []}", "expected the answer of GET /v1/reports/verdicts")]
    [InlineData("[{\"entityKind\":\"seller\",\"entityId\":\"S-1\",\"decisionId\":\"d-1\",\"reasons\":{\"BRUSHING\":0.55}}]", "verdicts[0] (d-1): \"positive\" must be true")]
    [InlineData("[{\"entityKind\":\"seller\",\"entityId\":\"S-1\",\"decisionId\":\"d-1\",\"positive\":true,\"reasons\":{\"BRUSHING\":7}}]", "reasons.BRUSHING must be a weight within 0..1")]
    [InlineData("[{\"entityKind\":\"seller\",\"entityId\":\"S-1\",\"decisionId\":\"d-1\",\"positive\":true,\"reasons\":{\"NOT_A_SIGNAL\":0.5}}]", "no verdict cites a signal default-2026.11 weighs")]
    [InlineData("not json", "not JSON")]
    public void Fit_verdicts_names_what_is_wrong_with_a_bad_file(string content, string expected)
    {
        var (code, _, stderr) = Run("fit-verdicts", Labels(content), "--out", Out);

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Out, "policy.json")));
    }
}
