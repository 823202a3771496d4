using System.CommandLine;
using Integrity.Harness.Terminal;
using Integrity.Harness.Market;

namespace Integrity.LoadTests.Cli;

/// <summary><c>generate</c>: writes a marketplace's events, ground truth and ledger to a directory.</summary>
public static class GenerateCommand
{
    public static async Task<int> RunAsync(ParseResult cl, TextWriter output, CancellationToken cancellationToken)
    {
        var options = ReadMarketplace(cl, durationIsSpan: true);
        var outDir = cl.GetRequiredValue<string>("--out");

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
    public static MarketplaceOptions ReadMarketplace(ParseResult cl, bool durationIsSpan)
    {
        var defaults = new MarketplaceOptions();
        var span = durationIsSpan ? cl.GetValue<TimeSpan?>("--duration") : null;
        var alias = cl.GetValue<TimeSpan?>("--span");
        var options = new MarketplaceOptions
        {
            Seed = cl.GetValue<int?>("--seed") ?? defaults.Seed,
            Sellers = cl.GetValue<int?>("--sellers") ?? defaults.Sellers,
            Span = span ?? alias ?? defaults.Span,
            FraudRate = cl.GetValue<double?>("--fraud-rate") ?? defaults.FraudRate,
            Start = cl.GetValue<DateTimeOffset?>("--start") ?? defaults.Start,
            Skew = cl.GetValue<double?>("--skew") ?? defaults.Skew,
            Customers = cl.GetValue<int?>("--customers"),
        };
        var errors = options.Validate();
        return errors.Count == 0 ? options : throw new UsageException(string.Join("; ", errors));
    }
}
