using System.Text;
using Integrity.Domain.Events;
using Integrity.Domain.Wire;
using Integrity.Harness.Market;

namespace Integrity.LoadTests.Tests;

public sealed class GeneratorTests(GeneratorFixture fixture) : IClassFixture<GeneratorFixture>
{
    private static EventParser Parser => GeneratorFixture.Parser;

    private GeneratedMarketplace Market => fixture.Market;

    [Fact]
    public void Same_seed_gives_the_same_bytes_and_another_seed_does_not()
    {
        var again = MarketplaceGenerator.Generate(GeneratorFixture.Options);
        Assert.Equal(Market.Events.Count, again.Events.Count);
        for (var i = 0; i < Market.Events.Count; i++)
        {
            Assert.Equal(Market.Events[i].Line, again.Events[i].Line);
        }

        Assert.Equal(Market.GroundTruth.Entries, again.GroundTruth.Entries);

        var other = MarketplaceGenerator.Generate(GeneratorFixture.Options with { Seed = 43 });
        Assert.NotEqual(Market.Events.Select(e => Encoding.UTF8.GetString(e.Line)), other.Events.Select(e => Encoding.UTF8.GetString(e.Line)));
    }

    [Fact]
    public void Every_line_parses_with_the_engine_parser_and_routes_to_the_same_entities()
    {
        var rejects = new List<string>();
        foreach (var e in Market.Events)
        {
            var result = Parser.Parse(e.Line);
            if (!result.Succeeded)
            {
                rejects.Add($"{result.Error}: {Encoding.UTF8.GetString(e.Line)}");
                continue;
            }

            Assert.Equal(e.EventId, result.Event.EventId);
            Assert.Equal(e.Type, result.Event.TypeName);
            Assert.Equal(e.OccurredAt, result.Event.OccurredAt);
            var engine = result.Event.TouchedEntities().Where(t => t.Kind != Integrity.Domain.Events.EntityKind.Identifier)
                .Select(t => $"{t.Kind}/{t.Id}").Order();
            Assert.Equal(engine, e.Touched.Select(t => t.ToString()).Order());
        }

        Assert.Empty(rejects);
    }

    [Fact]
    public void Stream_is_in_event_time_order_with_unique_ids_and_every_type()
    {
        Assert.True(Market.Events.Count > 3000, $"only {Market.Events.Count} events");
        for (var i = 1; i < Market.Events.Count; i++)
        {
            Assert.True(Market.Events[i - 1].OccurredAt <= Market.Events[i].OccurredAt);
        }

        Assert.Equal(Market.Events.Count, Market.Events.Select(e => e.EventId).Distinct().Count());

        // Every type but appeal.filed: an appeal answers a decision the engine made, which a generator cannot know
        // ahead of the run (the API tests file appeals against real decisions).
        Assert.Equal(EventTypeNames.All.Where(t => t != EventTypeNames.AppealFiled).Order(), Market.Events.Select(e => e.Type).Distinct().Order());
    }

    [Fact]
    public void Read_back_lines_route_and_shard_like_the_generated_events()
    {
        foreach (var e in Market.Events.Take(2000))
        {
            var back = WireLine.Read(e.Line, 0);
            Assert.Equal(e.EventId, back.EventId);
            Assert.Equal(e.ShardKey, back.ShardKey);
            Assert.Equal(e.Touched, back.Touched);
        }
    }

    [Fact]
    public void A_one_day_span_still_holds_every_incident_inside_the_stream()
    {
        var small = MarketplaceGenerator.Generate(new MarketplaceOptions { Seed = 5, Sellers = 10, Span = TimeSpan.FromDays(1), FraudRate = 0.5 });
        var touched = small.Events.SelectMany(e => e.Touched).ToHashSet();
        Assert.All(small.GroundTruth.Entries, e => Assert.Contains(e.Key, touched));
        Assert.All(small.Events, e => Assert.True(e.OccurredAt <= small.Options.End));
        Assert.All(FraudPatterns.All, p => Assert.Contains(small.GroundTruth.Entries, e => e.Pattern == p));
    }

    [Fact]
    public void No_fraud_rate_means_no_incident()
    {
        var clean = MarketplaceGenerator.Generate(new MarketplaceOptions { Seed = 5, Sellers = 10, Span = TimeSpan.FromDays(1), FraudRate = 0 });
        Assert.Empty(clean.GroundTruth.Entries);
        Assert.Equal(10, clean.Sellers.Count);
    }
}
