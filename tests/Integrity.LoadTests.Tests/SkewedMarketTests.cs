using System.Text;
using Integrity.Domain.Events;
using Integrity.Harness.Market;
using EntityKind = Integrity.Harness.Market.EntityKind;

namespace Integrity.LoadTests.Tests;

/// <summary>The generator's realistically skewed mode: Zipf-distributed sellers, listings and buyers, listings arriving among the orders.</summary>
public sealed class SkewedMarketTests
{
    /// <summary>5,000 sellers and 30,000 customers, about 150,000 events: over 50,000 entities take part.</summary>
    private static readonly MarketplaceOptions Large = new()
    {
        Seed = 11, Sellers = 5000, Customers = 30_000, Skew = 1, Span = TimeSpan.FromDays(7), FraudRate = 0.002, OrdersPerListingPerDay = 0.15, NewListingsPerDay = 200,
    };

    private static readonly Lazy<GeneratedMarketplace> Skewed = new(() => MarketplaceGenerator.Generate(Large));

    [Fact]
    public void Over_50k_entities_take_part_and_the_top_percent_of_sellers_and_buyers_carry_a_large_share_of_the_orders()
    {
        var market = Skewed.Value;
        var counted = market.Events.SelectMany(e => e.Touched).Where(t => EntityKinds.Counted.Contains(t.Kind)).ToHashSet();
        Assert.True(counted.Count >= 50_000, $"only {counted.Count:N0} sellers, listings and customers take part");

        var orders = market.Events.Where(e => e.Type == EventTypeNames.OrderPlaced).ToList();
        var sellers = TopShare(orders, EntityKind.Seller, Large.Sellers);
        var buyers = TopShare(orders, EntityKind.Reviewer, Large.CustomerCount);
        var listings = TopShare(orders, EntityKind.Listing, counted.Count(c => c.Kind == EntityKind.Listing));

        // Zipf with exponent 1 over 5,000 sellers: the top 50 carry H(50)/H(5000), about half; buyers (exponent 0.5) about a tenth.
        Assert.InRange(sellers, 0.35, 0.65);
        Assert.InRange(buyers, 0.06, 0.2);
        Assert.True(listings > 0.15, $"the top 1% of listings carry {listings:P1} of the orders");

        var even = MarketplaceGenerator.Generate(Large with { Skew = 0, Sellers = 1000, Customers = null, Span = TimeSpan.FromDays(8), OrdersPerListingPerDay = 0.5 });
        var evenOrders = even.Events.Where(e => e.Type == EventTypeNames.OrderPlaced).ToList();
        var evenListings = even.Events.SelectMany(e => e.Touched).Where(t => t.Kind == EntityKind.Listing).Distinct().Count();
        Assert.True(TopShare(evenOrders, EntityKind.Seller, 1000) < 0.05, "an even market is skewed");
        // Listings are never quite even (some arrive late in the span, and demand varies by price), so the skewed market's
        // concentration is held against the even one's rather than against a fixed line.
        var evenListingShare = TopShare(evenOrders, EntityKind.Listing, evenListings);
        Assert.True(evenListingShare < 0.1 && evenListingShare < listings / 2, $"the top 1% of an even market's listings carry {evenListingShare:P1} of its orders, the skewed one's {listings:P1}");
        Assert.True(TopShare(evenOrders, EntityKind.Reviewer, even.Options.CustomerCount) < 0.05, "an even market's buyers are skewed");
    }

    [Fact]
    public void Reviews_orders_refunds_complaints_and_new_listings_are_mixed_through_the_span_and_fraud_keeps_its_ground_truth()
    {
        var market = Skewed.Value;
        var inSpan = market.Events.Where(e => e.OccurredAt >= Large.Start).ToList();
        var perType = inSpan.GroupBy(e => e.Type).ToDictionary(g => g.Key, g => g.Count());
        foreach (var type in new[] { EventTypeNames.OrderPlaced, EventTypeNames.OrderDelivered, EventTypeNames.ReviewPosted, EventTypeNames.OrderRefunded, EventTypeNames.OrderCancelled, EventTypeNames.ComplaintFiled, EventTypeNames.ListingCreated })
        {
            Assert.True(perType.GetValueOrDefault(type) > 0, $"no {type} in the span");
        }

        // New listings arrive on every day of the span, not only at the sellers' registration.
        var days = inSpan.Where(e => e.Type == EventTypeNames.ListingCreated).Select(e => (e.OccurredAt - Large.Start).Days).ToHashSet();
        Assert.Equal(Enumerable.Range(0, Large.Span.Days), days.Order());

        Assert.All(FraudPatterns.All, p => Assert.Contains(market.GroundTruth.Entries, e => e.Pattern == p && e.Role == GroundTruthRole.Culprit));
        var touched = market.Events.SelectMany(e => e.Touched).ToHashSet();
        Assert.All(market.GroundTruth.Entries, e => Assert.Contains(e.Key, touched));
    }

    [Fact]
    public void Same_seed_same_bytes_and_every_line_parses_with_the_engine_parser_and_routes_to_the_same_entities()
    {
        var options = new MarketplaceOptions
        {
            Seed = 3, Sellers = 300, Skew = 1.2, Span = TimeSpan.FromDays(3), FraudRate = 0.03, IdPrefix = "zipf7", NewListingsPerDay = 20, ClaimShare = 0.25,
        };
        var market = MarketplaceGenerator.Generate(options);
        var again = MarketplaceGenerator.Generate(options);
        Assert.Equal(market.Events.Select(e => Encoding.UTF8.GetString(e.Line)), again.Events.Select(e => Encoding.UTF8.GetString(e.Line)));
        Assert.Equal(market.GroundTruth.Entries, again.GroundTruth.Entries);
        Assert.NotEqual(
            market.Events.Select(e => e.EventId).Take(5000),
            MarketplaceGenerator.Generate(options with { Seed = 4 }).Events.Select(e => e.EventId).Take(5000));

        foreach (var e in market.Events)
        {
            var parsed = GeneratorFixture.Parser.Parse(e.Line);
            Assert.True(parsed.Succeeded, $"{parsed.Error}: {Encoding.UTF8.GetString(e.Line)}");
            Assert.StartsWith("ev-zipf7-3-", e.EventId, StringComparison.Ordinal);
            var engine = parsed.Event!.TouchedEntities().Where(t => t.Kind != Integrity.Domain.Events.EntityKind.Identifier).Select(t => $"{t.Kind}/{t.Id}").Order();
            Assert.Equal(engine, e.Touched.Select(t => t.ToString()).Order());
            Assert.All(e.Touched.Where(t => t.Kind != EntityKind.Category), t => Assert.Contains("-zipf7-", t.Id, StringComparison.Ordinal));
        }

        // A quarter of the 200 new listings (20 a day over the warm-up and the span) make a prohibited claim: each is a
        // culprit of the ground truth, created in the stream.
        var claims = market.GroundTruth.Entries.Where(e => e.Incident.StartsWith(FraudPatterns.ProhibitedClaims + "#new", StringComparison.Ordinal) && e.Kind == EntityKind.Listing).ToList();
        Assert.InRange(claims.Count, 30, 70);
        Assert.All(claims, c => Assert.Contains(market.Events, e => e.Type == EventTypeNames.ListingCreated && e.Touched.Contains(c.Key) && e.OccurredAt == c.FirstFraudAt));
    }

    [Fact]
    public void A_market_sized_for_a_number_of_events_comes_close_to_it_with_the_review_share_asked_for_once_steady()
    {
        var options = new MarketplaceOptions { Seed = 2, Sellers = 200, FraudRate = 0, Span = TimeSpan.FromDays(14), ReviewRate = MarketplaceOptions.ReviewRateForShare(0.1) }.SizedFor(60_000);
        var events = MarketplaceGenerator.Generate(options).Events;
        Assert.InRange(events.Count, 48_000, 72_000);

        // Reviews come 1 to 12 days after their order: from the 12th day of orders on, the mix is steady.
        var steady = events.Where(e => e.OccurredAt >= options.Start - options.WarmUp + TimeSpan.FromDays(12)).ToList();
        Assert.InRange((double)steady.Count(e => e.Type == EventTypeNames.ReviewPosted) / steady.Count, 0.085, 0.115);
    }

    /// <summary>The share of <paramref name="orders"/> that the busiest 1% of <paramref name="population"/> entities of a kind placed or received.</summary>
    private static double TopShare(List<GeneratedEvent> orders, EntityKind kind, int population)
    {
        var perEntity = orders.SelectMany(e => e.Touched.Where(t => t.Kind == kind)).GroupBy(t => t).Select(g => g.Count()).OrderDescending().ToList();
        return (double)perEntity.Take(Math.Max(1, population / 100)).Sum() / orders.Count;
    }
}
