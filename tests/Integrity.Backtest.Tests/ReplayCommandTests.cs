using System.Globalization;
using Integrity.Backtest.Input;
using Integrity.Harness.Terminal;
using Spectre.Console.Testing;

namespace Integrity.Backtest.Tests;

/// <summary>The replay command end to end on the small committed files under data/ (synthetic, not YelpChi).</summary>
public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "integrity-backtest-" + Guid.NewGuid().ToString("N"));

    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    public void Dispose()
    {
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }

    private (int Code, string Stdout, string Stderr) Replay(string input, params string[] more)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = Cli.Run(["replay", Data(input), "--out", _out, .. more], stdout, stderr, new LiveProgress(new TestConsole(), interactive: false, TimeProvider.System, TimeSpan.FromSeconds(10)));
        return (code, stdout.ToString(), stderr.ToString());
    }

    private List<Dictionary<string, string>> Csv(string file)
    {
        using var reader = new StreamReader(Path.Combine(_out, file));
        var records = CsvRecords.Read(reader).ToList();
        var header = records[0].Fields;
        return records.Skip(1).Select(r => header.Select((h, i) => (h, r.Fields[i])).ToDictionary(x => x.h, x => x.Item2)).ToList();
    }

    private static double Num(Dictionary<string, string> row, string column) => double.Parse(row[column], CultureInfo.InvariantCulture);

    [Fact]
    public void Review_csv_replay_scores_the_ring_above_every_honest_review_and_carries_the_ids()
    {
        var (code, stdout, _) = Replay("reviews-small.csv");

        Assert.Equal(0, code);
        Assert.Contains("42 reviews", stdout, StringComparison.Ordinal);
        Assert.Equal("id,score,score_at_arrival,reasons", File.ReadLines(Path.Combine(_out, "reviews.csv")).First());
        var input = File.ReadLines(Data("reviews-small.csv")).Skip(1).Select(l => l.Split(',')).Where(f => !f[0].StartsWith("rv-bad", StringComparison.Ordinal)).ToList();
        var reviews = Csv("reviews.csv");
        Assert.Equal(input.Select(f => f[0]), reviews.Select(r => r["id"]));

        var ringIds = input.Where(f => f[2].StartsWith("ring", StringComparison.Ordinal)).Select(f => f[0]).ToHashSet();
        Assert.Equal(12, ringIds.Count);
        var ring = reviews.Where(r => ringIds.Contains(r["id"])).ToList();
        var honest = reviews.Where(r => !ringIds.Contains(r["id"])).ToList();
        Assert.True(ring.Min(r => Num(r, "score")) > honest.Max(r => Num(r, "score")),
            $"ring min {ring.Min(r => Num(r, "score"))} vs honest max {honest.Max(r => Num(r, "score"))}");
        Assert.True(ring.Average(r => Num(r, "score_at_arrival")) > 2 * honest.Average(r => Num(r, "score_at_arrival")));
        Assert.All(ring, r => Assert.Contains("THIN_HISTORY", r["reasons"], StringComparison.Ordinal));
        Assert.All(ring, r => Assert.Contains("REVIEW_BURST", r["reasons"], StringComparison.Ordinal));
    }

    [Fact]
    public void Review_csv_entities_are_written_with_the_product_as_listing_and_seller()
    {
        Replay("reviews-small.csv");

        var reviewers = Csv("reviewers.csv");
        Assert.Equal(18, reviewers.Count);
        Assert.All(reviewers.Where(r => r["reviewer"].StartsWith('h')), r => Assert.DoesNotContain("THIN_HISTORY", r["reasons"], StringComparison.Ordinal));
        Assert.All(reviewers.Where(r => r["reviewer"].StartsWith("ring", StringComparison.Ordinal)), r => Assert.True(Num(r, "score") >= 20));
        var listings = Csv("listings.csv");
        Assert.Equal(["p-ring", "p1", "p2", "p3", "p4"], listings.Select(l => l["listing"]));
        Assert.Contains("REVIEW_BURST", listings.Single(l => l["listing"] == "p-ring")["reasons"], StringComparison.Ordinal);
        Assert.Equal(listings.Select(l => l["listing"]), Csv("sellers.csv").Select(s => s["seller"]));
        Assert.Equal(Csv("reviews.csv").Select(r => r["score_at_arrival"]), Csv("reviews-at-arrival.csv").Select(r => r["score"]));
    }

    [Fact]
    public void Bad_csv_lines_are_rejected_with_their_line_numbers_and_the_rest_replays()
    {
        var (code, _, stderr) = Replay("reviews-small.csv");

        Assert.Equal(0, code);
        var rejected = Csv("rejected.csv");
        Assert.Equal([("13", "INVALID_VALUE"), ("24", "INVALID_VALUE"), ("35", "MALFORMED_CSV")], rejected.Select(r => (r["line"], r["code"])));
        Assert.Contains("rating must be a whole number 1..5, got \"7\"", rejected[0]["reason"], StringComparison.Ordinal);
        Assert.Contains("line 24: INVALID_VALUE: date must be ISO 8601", stderr, StringComparison.Ordinal);
        Assert.Contains("line 35: MALFORMED_CSV: 4 fields, the header has 6", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Ndjson_replay_goes_through_the_wire_parser_and_scores_the_ring_above_honest_buyers()
    {
        var (code, _, stderr) = Replay("events-small.ndjson");

        Assert.Equal(0, code);
        Assert.Equal([("6", "UNKNOWN_TYPE"), ("13", "MALFORMED_JSON"), ("21", "INVALID_VALUE")], Csv("rejected.csv").Select(r => (r["line"], r["code"])));
        Assert.Contains("line 21: INVALID_VALUE: \"rating\" must be an integer 1..5", stderr, StringComparison.Ordinal);

        var reviews = Csv("reviews.csv");
        Assert.Equal(20, reviews.Count);
        var ring = reviews.Where(r => r["id"].StartsWith("R-ring", StringComparison.Ordinal)).ToList();
        var honest = reviews.Where(r => r["id"].StartsWith("R-h", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, ring.Count);
        Assert.True(ring.Min(r => Num(r, "score")) > honest.Max(r => Num(r, "score")));
        Assert.True(ring.Min(r => Num(r, "score_at_arrival")) > honest.Max(r => Num(r, "score_at_arrival")));

        var listing = Csv("listings.csv").Single(l => l["listing"] == "L-ring");
        Assert.NotEqual("None", listing["step"]);
        Assert.Equal("S-2", listing["seller"]);
        Assert.Equal("None", Csv("sellers.csv").Single(s => s["seller"] == "S-1")["step"]);
        Assert.All(Csv("reviewers.csv").Where(r => r["reviewer"].StartsWith("C-ring", StringComparison.Ordinal)), r => Assert.True(Num(r, "score") >= 20));
    }

    [Fact]
    public void The_same_history_replays_to_the_same_scores()
    {
        Replay("reviews-small.csv");
        var first = File.ReadAllText(Path.Combine(_out, "reviews.csv")) + File.ReadAllText(Path.Combine(_out, "reviewers.csv"));
        Replay("reviews-small.csv");

        Assert.Equal(first, File.ReadAllText(Path.Combine(_out, "reviews.csv")) + File.ReadAllText(Path.Combine(_out, "reviewers.csv")));
    }

    [Fact]
    public void A_policy_file_changes_the_scores_of_the_same_history()
    {
        Replay("reviews-small.csv");
        var before = Csv("reviewers.csv").ToDictionary(r => r["reviewer"], r => Num(r, "score"));
        var policy = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.json");
        File.WriteAllText(policy, """{ "version": "no-thin-history", "signals": { "THIN_HISTORY": { "enabled": false } } }""");
        try
        {
            var (code, _, _) = Replay("reviews-small.csv", "--policy", policy);

            Assert.Equal(0, code);
            var after = Csv("reviewers.csv").ToDictionary(r => r["reviewer"], r => Num(r, "score"));
            Assert.True(before["ring00"] >= 20);
            Assert.True(after["ring00"] < 5, $"ring00 without THIN_HISTORY scores {after["ring00"]}");
            Assert.Contains("no-thin-history", File.ReadAllText(Path.Combine(_out, "summary.json")), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(policy);
        }
    }

    [Theory]
    [InlineData("""{ "Signals": { "THIN_HISTORY": { "Weight": 1.5 } } }""", "Signals:THIN_HISTORY:Weight: must be within 0..1, got 1.5.")]
    [InlineData("""{ "ReviewRisk": { "DeviationScale": 0 } }""", "ReviewRisk:DeviationScale: must be positive")]
    [InlineData("""{ "Reviewer": { "DownWeighted": 70 } }""", "Reviewer:ReviewsHidden: must be above Reviewer:DownWeighted")]
    [InlineData("""{ "Signalz": {} }""", "Signalz")]
    [InlineData("""{ "Signals": """, "not valid JSON")]
    public void An_invalid_policy_file_is_refused_with_a_clear_error(string json, string expected)
    {
        var policy = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.json");
        File.WriteAllText(policy, json);
        try
        {
            var (code, _, stderr) = Replay("reviews-small.csv", "--policy", policy);

            Assert.Equal(2, code);
            Assert.Contains(expected, stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(_out, "reviews.csv")));
        }
        finally
        {
            File.Delete(policy);
        }
    }

    [Fact]
    public void Bad_arguments_are_refused_with_usage()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        Assert.Equal(2, Cli.Run(["replay", Data("reviews-small.csv")], stdout, stderr));
        Assert.Contains("--out", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, Cli.Run(["replay", Data("reviews-small.csv"), "--out", _out, "--polcy", "x.json"], stdout, stderr));
        Assert.Contains("--polcy", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("--policy", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, Cli.Run(["replay", Data("reviews-small.csv"), "--out", _out, "--format", "xml"], stdout, stderr));
        Assert.Equal(2, Cli.Run(["synthetic", "--reviews", "0", "--out", _out], stdout, stderr));
        Assert.Contains("--reviews must be at least 1", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, Cli.Run(["replya"], stdout, stderr));
        Assert.Contains("replya", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("replay --help")]
    [InlineData("synthetic --help")]
    public void Every_command_has_help_and_exits_0(string args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        Assert.Equal(0, Cli.Run(args.Split(' '), stdout, stderr));
        Assert.Contains("--help", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains(args == "--help" ? "replay" : "--out", stdout.ToString(), StringComparison.Ordinal);
        Assert.Empty(stderr.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Replay_shows_progress_on_a_terminal_and_plain_lines_when_redirected(bool interactive)
    {
        var console = new TestConsole();
        if (interactive) console.Interactive().EmitAnsiSequences();
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var code = Cli.Run(["replay", Data("reviews-small.csv"), "--out", _out], stdout, stderr, new LiveProgress(console, interactive, TimeProvider.System, TimeSpan.FromMilliseconds(1)));

        Assert.Equal(0, code);
        Assert.Contains("replay", console.Output, StringComparison.Ordinal);
        Assert.Contains("100", console.Output, StringComparison.Ordinal);
        if (interactive)
        {
            Assert.Contains("\u001b[", console.Output, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain('\u001b', console.Output);
            Assert.Contains("100.0%", console.Lines[^1], StringComparison.Ordinal);
        }
    }
}

public sealed class InputReaderTests
{
    [Fact]
    public void Csv_fields_may_be_quoted_with_commas_quotes_and_line_breaks_and_keep_their_starting_line()
    {
        var records = CsvRecords.Read(new StringReader("a,b,c\n1,\"x, \"\"y\"\"\",z\n\n2,\"multi\nline\",w\n")).ToList();

        Assert.Equal([1L, 2L, 4L], records.Select(r => r.Line));
        Assert.Equal(["1", "x, \"y\"", "z"], records[1].Fields);
        Assert.Equal("multi\nline", records[2].Fields[1]);
    }

    [Fact]
    public void Csv_columns_may_come_in_any_order_with_seq_and_duplicates_are_rejected()
    {
        var batch = ReviewCsvReader.Read(new StringReader("rating,product,seq,reviewer,date\n5,p1,7,u1,2012-01-02\n4,p1,7,u2,2012-01-03\n3,p2,8,u1,2012-01-04T10:30:00Z\n"));

        Assert.Equal("seq", batch.ReviewKeyColumn);
        Assert.Equal(["7", "8"], batch.Events.Select(e => e.ReviewKey));
        Assert.Equal(new DateTimeOffset(2012, 1, 4, 10, 30, 0, TimeSpan.Zero), batch.Events[1].Event.OccurredAt);
        Assert.Equal((3L, "DUPLICATE_ID"), (batch.Rejected.Single().Line, batch.Rejected.Single().Code));
    }

    [Fact]
    public void A_csv_without_the_required_header_is_refused()
    {
        var ex = Assert.Throws<InvalidDataException>(() => ReviewCsvReader.Read(new StringReader("when,who,what,stars\n")));

        Assert.Contains("missing date, reviewer, product, rating", ex.Message, StringComparison.Ordinal);
    }
}
