using Integrity.LoadTests.Marketplace;

namespace Integrity.LoadTests.Cli;

/// <summary><c>generate</c>: writes a marketplace's events, ground truth and ledger to a directory.</summary>
public static class GenerateCommand
{
    public const string Usage = """
          generate  --out DIR [--seed N] [--sellers N] [--duration 7d] [--fraud-rate 0.05] [--start 2026-03-02T00:00:00Z]
                    --duration is the event time the traffic covers (alias --span)
        """;

    public static async Task<int> RunAsync(CommandLine cl, TextWriter output, CancellationToken cancellationToken)
    {
        var options = ReadMarketplace(cl, durationIsSpan: true);
        var outDir = cl.String("out") ?? throw new UsageException("--out DIR is required");
        cl.EnsureAllUsed();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var market = MarketplaceGenerator.Generate(options);
        var generated = clock.Elapsed;
        await MarketplaceFiles.WriteAsync(market, outDir, cancellationToken);
        var truth = market.GroundTruth.Entries;
        await output.WriteLineAsync(
            $"wrote {market.Events.Count:N0} events, {market.Sellers.Count:N0} sellers, {truth.Count(e => e.Role == GroundTruthRole.Culprit):N0} fraudulent entities " +
            $"in {options.FraudIncidents} incidents to {Path.GetFullPath(outDir)} (generated in {generated.TotalSeconds:0.0} s, written in {(clock.Elapsed - generated).TotalSeconds:0.0} s)");
        return 0;
    }

    /// <summary>The generator options shared by <c>generate</c> and <c>run</c>.</summary>
    /// <param name="durationIsSpan">For <c>generate</c>, --duration is event time; for <c>run</c> it bounds the sending.</param>
    public static MarketplaceOptions ReadMarketplace(CommandLine cl, bool durationIsSpan)
    {
        var defaults = new MarketplaceOptions();
        var span = durationIsSpan ? cl.Duration("duration") : null;
        var alias = cl.Duration("span");
        var start = cl.String("start");
        var options = new MarketplaceOptions
        {
            Seed = cl.Int("seed") ?? defaults.Seed,
            Sellers = cl.Int("sellers") ?? defaults.Sellers,
            Span = span ?? alias ?? defaults.Span,
            FraudRate = cl.Double("fraud-rate") ?? defaults.FraudRate,
            Start = start is null ? defaults.Start : DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture),
        };
        var errors = options.Validate();
        return errors.Count == 0 ? options : throw new UsageException(string.Join("; ", errors));
    }
}
