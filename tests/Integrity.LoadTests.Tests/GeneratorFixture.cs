using Integrity.LoadTests.Marketplace;

namespace Integrity.LoadTests.Tests;

/// <summary>One small marketplace generated once and shared by the generator tests (generation is the slow part).</summary>
public sealed class GeneratorFixture
{
    public static readonly MarketplaceOptions Options = new() { Seed = 42, Sellers = 60, Span = TimeSpan.FromDays(4), FraudRate = 0.2 };

    public GeneratedMarketplace Market { get; } = MarketplaceGenerator.Generate(Options);
}
