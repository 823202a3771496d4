using System.Text;
using Integrity.Domain.Events;
using Integrity.Domain.Wire;
using Integrity.Harness.Market;

namespace Integrity.LoadTests.Tests;

/// <summary>One small marketplace generated once and shared by the tests (generation is the slow part), with its events parsed by the engine's parser.</summary>
public sealed class GeneratorFixture
{
    public static readonly MarketplaceOptions Options = new() { Seed = 42, Sellers = 60, Span = TimeSpan.FromDays(4), FraudRate = 0.2 };

    public static readonly EventParser Parser = new(new IdentifierHasher(Encoding.UTF8.GetBytes("load-test-identifier-key-0123456789")));

    private readonly Lazy<IReadOnlyList<IntegrityEvent>> _parsed;

    public GeneratorFixture()
    {
        _parsed = new(() => Market.Events.Select(e => Parser.Parse(e.Line)).Where(r => r.Succeeded).Select(r => r.Event!).ToList());
    }

    public GeneratedMarketplace Market { get; } = MarketplaceGenerator.Generate(Options);

    /// <summary>The stream as the engine sees it: typed events, identifiers keyed-hashed.</summary>
    public IReadOnlyList<IntegrityEvent> Parsed => _parsed.Value;
}
