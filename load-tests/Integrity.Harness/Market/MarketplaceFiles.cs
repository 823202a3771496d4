using System.Text.Json;
using Integrity.Harness.Ledger;
using Integrity.Harness.Reports;

namespace Integrity.Harness.Market;

/// <summary>The ground-truth file: the generation settings, a count per pattern and role, and every entry.</summary>
public sealed record GroundTruthFile(
    int Seed,
    int HonestSellers,
    double FraudRate,
    DateTimeOffset Start,
    DateTimeOffset End,
    int Incidents,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Patterns,
    IReadOnlyList<GroundTruthEntry> Entries)
{
    public GroundTruth ToGroundTruth() => new(Seed, Entries);
}

/// <summary>
/// Writes and reads a generated marketplace: <c>events.ndjson</c> (the wire lines in event-time order),
/// <c>ground-truth.json</c> and <c>ledger.json</c> (what sending all of it should make each entity apply).
/// </summary>
public static class MarketplaceFiles
{
    public const string EventsFile = "events.ndjson";
    public const string GroundTruthFileName = "ground-truth.json";
    public const string LedgerFile = "ledger.json";

    public static async Task WriteAsync(GeneratedMarketplace market, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await using (var events = File.Create(Path.Combine(directory, EventsFile)))
        {
            foreach (var e in market.Events)
            {
                await events.WriteAsync(e.Line, cancellationToken);
                events.WriteByte((byte)'\n');
            }
        }

        await WriteJsonAsync(Path.Combine(directory, GroundTruthFileName), DescribeTruth(market), cancellationToken);
        await WriteJsonAsync(Path.Combine(directory, LedgerFile), EventLedger.Of(market.Events).Summarize(), cancellationToken);
    }

    public static GroundTruthFile DescribeTruth(GeneratedMarketplace market)
    {
        var patterns = FraudPatterns.All.ToDictionary(
            p => p,
            p => (IReadOnlyDictionary<string, int>)Enum.GetValues<GroundTruthRole>().ToDictionary(
                r => r.ToString(), r => market.GroundTruth.Entries.Count(e => e.Pattern == p && e.Role == r)));
        var o = market.Options;
        return new GroundTruthFile(o.Seed, o.Sellers, o.FraudRate, o.Start, o.End, o.FraudIncidents, patterns, market.GroundTruth.Entries);
    }

    /// <summary>Reads an events file back, line by line (blank lines skipped), keeping the file's order.</summary>
    public static async Task<IReadOnlyList<GeneratedEvent>> ReadEventsAsync(string path, CancellationToken cancellationToken)
    {
        var events = new List<GeneratedEvent>();
        using var reader = new StreamReader(path);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            events.Add(WireLine.Read(System.Text.Encoding.UTF8.GetBytes(line), events.Count));
        }

        return events;
    }

    public static async Task<GroundTruthFile?> ReadGroundTruthAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) return null;
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<GroundTruthFile>(stream, JsonDefaults.Options, cancellationToken);
    }

    public static async Task WriteJsonAsync<T>(string path, T value, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, value, JsonDefaults.Options, cancellationToken);
    }
}
